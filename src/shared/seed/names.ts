/** Common French family names, with the accents, hyphens, particles and apostrophes seen at the desk. */
export const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Martin', 30], ['Bernard', 20], ['Thomas', 18], ['Petit', 16], ['Robert', 16], ['Richard', 15], ['Durand', 15],
  ['Dubois', 14], ['Moreau', 14], ['Laurent', 13], ['Simon', 13], ['Michel', 13], ['Lefèvre', 12], ['Leroy', 12],
  ['Roux', 11], ['David', 11], ['Bertrand', 11], ['Morel', 10], ['Fournier', 10], ['Girard', 10], ['Bonnet', 10],
  ['Dupont', 10], ['Lambert', 9], ['Fontaine', 9], ['Rousseau', 9], ['Vincent', 9], ['Muller', 9], ['Lefebvre', 9],
  ['Faure', 8], ['André', 8], ['Mercier', 8], ['Blanc', 8], ['Guérin', 8], ['Boyer', 8], ['Garnier', 8],
  ['Chevalier', 7], ['François', 7], ['Legrand', 7], ['Gauthier', 7], ['Garcia', 7], ['Perrin', 7], ['Robin', 7],
  ['Clément', 7], ['Morin', 7], ['Nicolas', 6], ['Henry', 6], ['Roussel', 6], ['Mathieu', 6], ['Gautier', 6],
  ['Masson', 6], ['Marchand', 6], ['Duval', 6], ['Denis', 6], ['Dumont', 6], ['Marie', 6], ['Lemaire', 6],
  ['Noël', 5], ['Meyer', 5], ['Dufour', 5], ['Meunier', 5], ['Brun', 5], ['Blanchard', 5], ['Giraud', 5],
  ['Joly', 5], ['Rivière', 5], ['Lucas', 5], ['Brunet', 5], ['Gaillard', 5], ['Barbier', 5], ['Arnaud', 5],
  ['Gérard', 4], ['Roche', 4], ['Renard', 4], ['Schmitt', 4], ['Roy', 4], ['Leroux', 4], ['Colin', 4],
  ['Vidal', 4], ['Caron', 4], ['Picard', 4], ['Roger', 4], ['Fabre', 4], ['Aubert', 4], ['Lemoine', 4],
  ['Renaud', 4], ['Dumas', 4], ['Lacroix', 4], ['Olivier', 4], ['Philippe', 4], ['Bourgeois', 4], ['Pierre', 4],
  ['Benoît', 3], ['Rey', 3], ['Lecomte', 3], ['Huet', 3], ['Lefèbvre', 2], ['Prévost', 3], ['Besançon', 2],
  ['Château', 2], ['Crépin', 2], ['Lœuillet', 1], ['Cœurdevey', 1], ['Bœuf', 1],
  ['Nguyen', 4], ['Da Silva', 3], ['Dos Santos', 3], ['Ferreira', 3], ['Pereira', 3], ['Rodrigues', 3],
  ['Fernandes', 2], ['Lopez', 3], ['Martinez', 3], ['Sanchez', 2], ['Benali', 2], ['Haddad', 2], ['Mansouri', 2],
  ['Traoré', 2], ['Diallo', 2], ['Camara', 2], ['Koné', 2], ['Cissé', 2], ['Mbappé', 1],
  ["N'Diaye", 3], ["N'Guyen", 1], ["D'Almeida", 2], ["D'Angelo", 1], ["L'Hôte", 1], ["L'Huillier", 1], ["D'Hondt", 1],
  ['de La Fontaine', 1], ['de Saint-Exupéry', 1], ['Le Goff', 4], ['Le Gall', 3], ['Le Roux', 3], ['Le Bihan', 2],
  ['Le Floc’h', 1], ['Du Pont', 1], ['de Lattre', 1], ['Saint-Martin', 2], ['Martin-Dubois', 1], ['Pat-Trois', 1],
  ['Lefèvre-Utile', 1], ['Bouvier-Neveu', 1], ['Grand-Clément', 1], ['Ménétrier', 1], ['Hélie', 1], ['Éluard', 1],
];

type Generation = 'before1950' | '1950to1979' | '1980to1999' | 'since2000';

export function generationOf(year: number): Generation {
  if (year < 1950) return 'before1950';
  if (year < 1980) return '1950to1979';
  if (year < 2000) return '1980to1999';
  return 'since2000';
}

/** Given names by sex and generation (France, INSEE first-name files, broadly). */
export const GIVEN_NAMES: Record<'M' | 'F', Record<Generation, readonly string[]>> = {
  F: {
    before1950: ['Marie', 'Jeanne', 'Françoise', 'Monique', 'Jacqueline', 'Simone', 'Germaine', 'Yvette', 'Odette', 'Suzanne', 'Geneviève', 'Hélène', 'Thérèse', 'Andrée', 'Renée', 'Paulette', 'Marcelle', 'Lucienne'],
    '1950to1979': ['Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Martine', 'Christine', 'Valérie', 'Sandrine', 'Véronique', 'Brigitte', 'Dominique', 'Chantal', 'Nicole', 'Françoise', 'Patricia', 'Corinne', 'Évelyne', 'Béatrice'],
    '1980to1999': ['Julie', 'Aurélie', 'Émilie', 'Céline', 'Stéphanie', 'Élodie', 'Laetitia', 'Mélanie', 'Audrey', 'Camille', 'Laura', 'Marine', 'Pauline', 'Anaïs', 'Sarah', 'Marion', 'Chloé', 'Mélissa', 'Anne-Sophie', 'Marie-Ève'],
    since2000: ['Emma', 'Léa', 'Chloé', 'Manon', 'Inès', 'Jade', 'Louise', 'Zoé', 'Lina', 'Léna', 'Alice', 'Rose', 'Anna', 'Mila', 'Ambre', 'Juliette', 'Maëlys', 'Noémie', 'Héloïse', 'Aïcha'],
  },
  M: {
    before1950: ['Jean', 'Pierre', 'André', 'Michel', 'René', 'Louis', 'Roger', 'Marcel', 'Georges', 'Henri', 'Jacques', 'Robert', 'Raymond', 'Maurice', 'Lucien', 'Gérard', 'Bernard', 'Joseph'],
    '1950to1979': ['Philippe', 'Patrick', 'Thierry', 'Christophe', 'Éric', 'Pascal', 'Laurent', 'Stéphane', 'Frédéric', 'Olivier', 'Alain', 'Daniel', 'Dominique', 'Jean-Pierre', 'Jean-Luc', 'François', 'Hervé', 'Didier'],
    '1980to1999': ['Nicolas', 'Julien', 'Sébastien', 'Guillaume', 'Mathieu', 'Jérôme', 'Romain', 'Maxime', 'Kévin', 'Anthony', 'Alexandre', 'Thomas', 'Benoît', 'Jérémy', 'Cédric', 'Loïc', 'Mickaël', 'Jean-Baptiste'],
    since2000: ['Lucas', 'Hugo', 'Louis', 'Gabriel', 'Nathan', 'Jules', 'Léo', 'Raphaël', 'Arthur', 'Adam', 'Théo', 'Noé', 'Enzo', 'Mathis', 'Timéo', 'Maël', 'Rayan', 'Aurélien', 'Louis-Marie', 'Joël'],
  },
};
