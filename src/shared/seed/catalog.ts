/** Clinical vocabularies the seed draws from (codes are real: LOINC, CIM-10, CCAM, ATC). */

export const UNITS = [
  'Cardiologie',
  'Chirurgie digestive',
  'Urgences',
  'Médecine interne',
  'Pneumologie',
  'Gériatrie',
  'Neurologie',
  'Réanimation médicale',
] as const;

export type Unit = (typeof UNITS)[number];

export const UNIT_WEIGHTS: readonly (readonly [Unit, number])[] = [
  ['Urgences', 30], ['Cardiologie', 20], ['Chirurgie digestive', 15], ['Médecine interne', 12],
  ['Pneumologie', 8], ['Gériatrie', 8], ['Neurologie', 5], ['Réanimation médicale', 2],
];

/** Document types of DOMAIN.md §5. */
export const DOC_TYPES = {
  ldlSortie: { code: '11490-0', label: 'Lettre de liaison à la sortie', templateId: '1.2.250.1.213.1.1.1.29' },
  ldlEntree: { code: '18761-7', label: "Lettre de liaison à l'entrée", templateId: '1.2.250.1.213.1.1.1.21' },
  crOperatoire: { code: '34874-8', label: 'Compte rendu opératoire', templateId: undefined },
  syntheseUrgences: { code: '15507-7', label: 'CR de passage aux urgences', templateId: undefined },
  crImagerie: { code: '18748-4', label: "Compte rendu d'imagerie", templateId: '1.2.250.1.213.1.1.1.45' },
  crBiologie: { code: '11502-2', label: 'Compte rendu de biologie', templateId: undefined },
} as const;

export type DocTypeKey = keyof typeof DOC_TYPES;

export const MOTIVES: Record<Unit, readonly string[]> = {
  Urgences: ['Douleur thoracique', 'Chute à domicile', 'Dyspnée aiguë', 'Douleur abdominale', 'Malaise', 'Traumatisme du poignet', 'Fièvre'],
  Cardiologie: ['Syndrome coronarien aigu', 'Décompensation cardiaque', 'Fibrillation auriculaire', 'Bilan de syncope'],
  'Chirurgie digestive': ['Appendicite aiguë', 'Cholécystite', 'Occlusion intestinale', 'Hernie inguinale'],
  'Médecine interne': ['Altération de l’état général', 'Bilan de fièvre prolongée', 'Anémie à explorer'],
  Pneumologie: ['Exacerbation de BPCO', 'Pneumopathie', 'Embolie pulmonaire'],
  Gériatrie: ['Chutes répétées', 'Confusion', 'Dénutrition'],
  Neurologie: ['Accident vasculaire cérébral', 'Crise d’épilepsie', 'Céphalées'],
  'Réanimation médicale': ['Choc septique', 'Détresse respiratoire'],
};

/** CIM-10 diagnoses. */
export const PROBLEMS: readonly (readonly [string, string])[] = [
  ['I10', 'Hypertension essentielle (primitive)'],
  ['E11.9', 'Diabète sucré de type 2, sans complication'],
  ['I21.4', 'Infarctus sous-endocardique aigu du myocarde'],
  ['I48.9', 'Fibrillation auriculaire, sans précision'],
  ['I50.9', 'Insuffisance cardiaque, sans précision'],
  ['K35.8', 'Appendicite aiguë, autre et sans précision'],
  ['K80.2', 'Calcul de la vésicule biliaire sans cholécystite'],
  ['J18.9', 'Pneumopathie, sans précision'],
  ['J44.1', 'Maladie pulmonaire obstructive chronique avec épisodes aigus'],
  ['N18.3', 'Maladie rénale chronique, stade 3'],
  ['E78.0', 'Hypercholestérolémie essentielle'],
  ['S52.5', "Fracture de l'extrémité inférieure du radius"],
  ['I63.9', 'Infarctus cérébral, sans précision'],
  ['D64.9', 'Anémie, sans précision'],
];

/** CCAM procedures. */
export const PROCEDURES: readonly (readonly [string, string, Unit])[] = [
  ['HHFA016', 'Appendicectomie, par cœlioscopie', 'Chirurgie digestive'],
  ['HHFA011', 'Appendicectomie, par abord de la fosse iliaque', 'Chirurgie digestive'],
  ['HMFC004', 'Cholécystectomie, par cœlioscopie', 'Chirurgie digestive'],
  ['DEQP003', 'Électrocardiographie sur au moins 12 dérivations', 'Cardiologie'],
  ['DZQM006', 'Échographie-doppler transthoracique du cœur et des vaisseaux intrathoraciques', 'Cardiologie'],
  ['ZBQK002', 'Radiographie du thorax', 'Urgences'],
  ['ACQK001', 'Scanographie du crâne et de son contenu, sans injection de produit de contraste', 'Neurologie'],
];

export const ALLERGENS: readonly (readonly [string, string | undefined])[] = [
  ['Pénicillines', 'J01C'], ['Amoxicilline', 'J01CA04'], ['Produits de contraste iodés', 'V08A'], ['Latex', undefined],
  ['Arachide', undefined], ['Acide acétylsalicylique', 'N02BA01'], ['Codéine', 'R05DA04'], ['Sulfamides', 'J01E'],
];

export const REACTIONS = ['Urticaire', 'Œdème de Quincke', 'Choc anaphylactique', 'Éruption cutanée', 'Bronchospasme'];

/** Medications with ATC code and a usual dosage. */
export const MEDICATIONS: readonly (readonly [string, string, string])[] = [
  ['Bisoprolol 2,5 mg', 'C07AB07', '1 comprimé le matin'],
  ['Ramipril 5 mg', 'C09AA05', '1 comprimé le matin'],
  ['Atorvastatine 40 mg', 'C10AA05', '1 comprimé le soir'],
  ['Metformine 1000 mg', 'A10BA02', '1 comprimé matin et soir au cours des repas'],
  ['Acide acétylsalicylique 75 mg', 'B01AC06', '1 sachet par jour'],
  ['Apixaban 5 mg', 'B01AF02', '1 comprimé matin et soir'],
  ['Furosémide 40 mg', 'C03CA01', '1 comprimé le matin'],
  ['Lévothyroxine 75 µg', 'H03AA01', '1 comprimé à jeun le matin'],
  ['Paracétamol 1 g', 'N02BE01', '1 g toutes les 6 heures si douleur, maximum 4 g par jour'],
  ['Oméprazole 20 mg', 'A02BC01', '1 gélule le matin'],
  ['Amoxicilline 1 g', 'J01CA04', '1 g trois fois par jour pendant 7 jours'],
  ['Insuline glargine 100 UI/ml', 'A10AE04', '20 UI le soir'],
];

/** Lab analytes: LOINC code, label, unit, reference range, mean and spread for the series. */
export const ANALYTES: readonly {
  code: string;
  label: string;
  unit: string;
  low: number;
  high: number;
  mean: number;
  sd: number;
  decimals: number;
}[] = [
  { code: '14682-9', label: 'Créatinine', unit: 'µmol/L', low: 45, high: 104, mean: 85, sd: 30, decimals: 0 },
  { code: '718-7', label: 'Hémoglobine', unit: 'g/dL', low: 12, high: 17, mean: 13.5, sd: 1.8, decimals: 1 },
  { code: '2823-3', label: 'Potassium', unit: 'mmol/L', low: 3.5, high: 5, mean: 4.2, sd: 0.5, decimals: 1 },
  { code: '2951-2', label: 'Sodium', unit: 'mmol/L', low: 135, high: 145, mean: 139, sd: 3, decimals: 0 },
  { code: '1988-5', label: 'Protéine C réactive', unit: 'mg/L', low: 0, high: 5, mean: 12, sd: 25, decimals: 1 },
  { code: '4548-4', label: 'Hémoglobine glyquée (HbA1c)', unit: '%', low: 4, high: 6, mean: 6.4, sd: 1.1, decimals: 1 },
];

export const DOCTORS = [
  'Dr Claire Morel', 'Dr Antoine Lefèvre', 'Dr Sophie Garnier', 'Dr Karim Benali', 'Dr Hélène Roussel',
  'Dr Marc Girard', 'Dr Aurélie Perrin', 'Dr Julien Fabre', 'Pr Jean-Marc Dubois', 'Dr Nadia Haddad',
];
