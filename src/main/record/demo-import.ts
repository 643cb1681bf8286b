import { DEMO_DMP_PATIENTS } from '../../shared/demo/dmp-patients';
import { DEFAULT_IPP_SYSTEM, INS_OID, insSystem } from '../../shared/ins/oids';
import { generateBundles, SYSTEMS, type FhirBundle, type FhirResource } from '../../shared/seed';
import { BridgeFailure } from '../../shared/bridge/result';
import type { CareIndex } from '../care/index';
import { indexFhirEntries } from './care-feed';

/** The demo population the import screen has always generated (same seed, same lots). */
export const DEMO_SEED = 2026;
export const DEMO_LOT = 250;

/** Units the demo DMP patients are in care in, so the ward and emergency demo roles both meet them. */
const DMP_PATIENT_UNITS: Record<(typeof DEMO_DMP_PATIENTS)[number]['scenario'], string[]> = {
  consentement: ['Cardiologie', 'Urgences'],
  'autorisation-valide': ['Cardiologie'],
  'opposition-bris-de-glace': ['Urgences', 'Cardiologie'],
  'professionnel-bloque': ['Urgences', 'Cardiologie'],
  'sans-dmp': ['Cardiologie', 'Urgences'],
};

/**
 * The people of the embedded "DMP de test" as FHIR: a qualified identity (same INS and strict
 * traits as the DMP holds) and a current stay in each of their units.
 */
export function demoDmpPatientResources(now: Date): FhirResource[] {
  return DEMO_DMP_PATIENTS.flatMap((p, k) => {
    const ipp = String(800_000_001 + k);
    const pid = `dmp-demo-${k + 1}`;
    const patient: FhirResource = {
      resourceType: 'Patient',
      id: pid,
      extension: [
        { url: SYSTEMS.identityReliability, extension: [{ url: 'identityStatus', valueCoding: { system: SYSTEMS.identityStatusCodes, code: 'QUAL' } }] },
        { url: SYSTEMS.birthPlace, valueAddress: { extension: [{ url: SYSTEMS.inseeCode, valueCoding: { code: p.birthplaceCode } }] } },
      ],
      identifier: [
        { use: 'usual', type: { coding: [{ system: SYSTEMS.v2_0203, code: 'PI' }] }, system: DEFAULT_IPP_SYSTEM, value: ipp },
        { use: 'official', type: { coding: [{ system: SYSTEMS.frCoreV2_0203, code: 'INS-NIR-TEST' }] }, system: insSystem(INS_OID.TEST_NIR), value: p.ins },
      ],
      name: [{ use: 'official', family: p.birthFamilyName, given: p.givenNames.split(' ') }],
      gender: p.sex === 'M' ? 'male' : 'female',
      birthDate: p.birthDate,
    };
    const stays = DMP_PATIENT_UNITS[p.scenario].map(
      (unit, u): FhirResource => ({
        resourceType: 'Encounter',
        id: `${pid}-${u + 1}`,
        status: 'in-progress',
        subject: { reference: `Patient/${pid}` },
        period: { start: new Date(now.getTime() - (2 + u) * 86_400_000).toISOString() },
        serviceProvider: { display: unit },
      }),
    );
    return [patient, ...stays];
  });
}

type Lots = { total: number; next: number; it: Iterator<{ bundle: FhirBundle; count: number }> };

/**
 * The demo population, generated in main lot by lot (generation must run in order: the NIRs of
 * later patients depend on earlier ones) and indexed before the renderer imports each lot. One
 * run per renderer.
 */
export function createDemoImport(index: CareIndex, now: () => Date) {
  const runs = new Map<string, Lots>();
  return function nextLot(clientId: string, total: number, first: number): { text: string; first: number; count: number; next: number | null } {
    if (first === 0) runs.set(clientId, { total, next: 0, it: generateBundles(total, { seed: DEMO_SEED, perBundle: DEMO_LOT }) });
    const run = runs.get(clientId);
    if (!run || run.total !== total || run.next !== first) {
      throw new BridgeFailure('INVALID_INPUT', 'Import de démonstration interrompu : relancez-le depuis le début.');
    }
    const step = run.it.next();
    if (step.done) throw new BridgeFailure('INVALID_INPUT', 'Import de démonstration déjà terminé.');
    const { bundle, count } = step.value;
    indexFhirEntries(index, bundle.entry, now());
    run.next = first + count;
    const done = run.next >= total;
    if (done) runs.delete(clientId);
    return { text: JSON.stringify(bundle), first, count, next: done ? null : run.next };
  };
}
