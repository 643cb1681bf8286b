import { withNirKey } from '../ins/nir';

/**
 * The patients of the embedded "DMP de test": their INS (test NIR OID, INS_OID.TEST_NIR)
 * and strict traits, so the local record's demo seed can create the same people with a
 * qualified identity. Each one shows one path of the consent rules (DOMAIN.md §2).
 */
export interface DemoDmpPatient {
  /** INS-NIR, 15 characters. */
  ins: string;
  birthFamilyName: string;
  givenNames: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  /** INSEE code of the birthplace. */
  birthplaceCode: string;
  /** What the demo shows with this patient. */
  scenario: 'consentement' | 'autorisation-valide' | 'opposition-bris-de-glace' | 'professionnel-bloque' | 'sans-dmp';
  /** False for the patient who has no DMP. */
  hasDmp: boolean;
  /** Demo accounts (ids) with an authorisation already on the DMP. */
  authorizations: Record<string, 'VALIDE' | 'INTERDIT' | 'EXPIRE'>;
  oppositions: { brisDeGlace: boolean; centre15: boolean };
}

export const DEMO_DMP_PATIENTS: readonly DemoDmpPatient[] = [
  {
    ins: withNirKey('1800575056123'),
    birthFamilyName: 'DUPONT',
    givenNames: 'Jean',
    birthDate: '1980-05-12',
    sex: 'M',
    birthplaceCode: '75056',
    scenario: 'consentement',
    hasDmp: true,
    authorizations: {},
    oppositions: { brisDeGlace: false, centre15: false },
  },
  {
    ins: withNirKey('2520769123045'),
    birthFamilyName: 'MOREAU',
    givenNames: 'Louise Marie',
    birthDate: '1952-07-03',
    sex: 'F',
    birthplaceCode: '69123',
    scenario: 'autorisation-valide',
    hasDmp: true,
    authorizations: { 'dr.martin': 'VALIDE', 'int.durand': 'EXPIRE' },
    oppositions: { brisDeGlace: false, centre15: true },
  },
  {
    ins: withNirKey('1650213055210'),
    birthFamilyName: 'GARNIER',
    givenNames: 'Paul',
    birthDate: '1965-02-20',
    sex: 'M',
    birthplaceCode: '13055',
    scenario: 'opposition-bris-de-glace',
    hasDmp: true,
    authorizations: {},
    oppositions: { brisDeGlace: true, centre15: false },
  },
  {
    ins: withNirKey('2901033063088'),
    birthFamilyName: 'FAURE',
    givenNames: 'Inès',
    birthDate: '1990-10-08',
    sex: 'F',
    birthplaceCode: '33063',
    scenario: 'professionnel-bloque',
    hasDmp: true,
    authorizations: { 'dr.martin': 'INTERDIT', 'urg.petit': 'INTERDIT' },
    oppositions: { brisDeGlace: false, centre15: false },
  },
  {
    ins: withNirKey('1750931555017'),
    birthFamilyName: 'ROUX',
    givenNames: 'Hugo',
    birthDate: '1975-09-14',
    sex: 'M',
    birthplaceCode: '31555',
    scenario: 'sans-dmp',
    hasDmp: false,
    authorizations: {},
    oppositions: { brisDeGlace: false, centre15: false },
  },
];
