/**
 * Real INSEE codes of birthplaces: communes (Dijon area first, the CHU's catchment), Corsica
 * (2A/2B), overseas (97x), and countries (99xxx) for people born abroad. Weights are rough.
 */
export const BIRTHPLACES: readonly (readonly [string, string, number])[] = [
  ['21231', 'Dijon', 30], ['21054', 'Beaune', 6], ['21425', 'Montbard', 2], ['21617', 'Talant', 2], ['21166', 'Chenôve', 3],
  ['21171', 'Chevigny-Saint-Sauveur', 2], ['21278', 'Is-sur-Tille', 1], ['21515', 'Quetigny', 2], ['21355', 'Longvic', 2],
  ['71076', 'Chalon-sur-Saône', 5], ['71270', 'Mâcon', 3], ['71306', 'Le Creusot', 2], ['71014', 'Autun', 2],
  ['89024', 'Auxerre', 3], ['89387', 'Sens', 2], ['58194', 'Nevers', 2], ['25056', 'Besançon', 5],
  ['39300', 'Lons-le-Saunier', 2], ['70550', 'Vesoul', 2], ['52448', 'Saint-Dizier', 1], ['10387', 'Troyes', 2],
  ['75115', 'Paris 15e', 3], ['75112', 'Paris 12e', 2], ['75118', 'Paris 18e', 2], ['75114', 'Paris 14e', 2],
  ['69383', 'Lyon 3e', 3], ['69381', 'Lyon 1er', 1], ['13055', 'Marseille', 3], ['31555', 'Toulouse', 2],
  ['33063', 'Bordeaux', 2], ['59350', 'Lille', 2], ['67482', 'Strasbourg', 2], ['44109', 'Nantes', 2],
  ['06088', 'Nice', 1], ['35238', 'Rennes', 1], ['51454', 'Reims', 2], ['51108', 'Châlons-en-Champagne', 1],
  ['2A004', 'Ajaccio', 1], ['2B033', 'Bastia', 1], ['2A247', 'Porto-Vecchio', 0.3],
  ['97105', 'Basse-Terre', 0.5], ['97101', 'Les Abymes', 0.5], ['97209', 'Fort-de-France', 0.7],
  ['97411', 'Saint-Denis (La Réunion)', 0.8], ['97302', 'Cayenne', 0.3], ['97611', 'Mamoudzou', 0.3],
  ['99350', 'Maroc', 2], ['99352', 'Algérie', 2.5], ['99351', 'Tunisie', 1], ['99139', 'Portugal', 1.5],
  ['99134', 'Espagne', 0.8], ['99127', 'Italie', 0.8], ['99109', 'Allemagne', 0.5], ['99131', 'Belgique', 0.5],
  ['99341', 'Sénégal', 0.6], ['99132', 'Royaume-Uni', 0.2], ['99243', 'Viêt Nam', 0.3], ['99335', 'Mali', 0.4],
];
