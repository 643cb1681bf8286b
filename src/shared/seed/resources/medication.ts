import { DOCTORS, MEDICATIONS } from '../catalog';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import { ident, iso, ref, type PatientContext, type Stay } from './common';

/** 0 to 4 active prescriptions of the last stay, about a third of them discharge prescriptions. */
export function buildMedications(ctx: PatientContext, lastStay: Stay): FhirResource[] {
  const { rng, ipp, pid } = ctx;
  const resources: FhirResource[] = [];
  for (let k = rng.weighted([[0, 20], [1, 20], [2, 25], [3, 20], [4, 15]] as const); k > 0; k--) {
    const [medication, atc, dosage] = rng.pick(MEDICATIONS);
    const discharge = rng.chance(0.35);
    const id = `mr-${ipp}-${k}`;
    resources.push({
      resourceType: 'MedicationRequest',
      id,
      identifier: ident('prescription', id),
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: discharge ? 'discharge' : 'inpatient' }] }],
      medicationCodeableConcept: { coding: [{ system: SYSTEMS.atc, code: atc }], text: medication },
      subject: ref(pid),
      encounter: { reference: `Encounter/${lastStay.id}` },
      authoredOn: iso(lastStay.start),
      requester: { display: rng.pick(DOCTORS) },
      dosageInstruction: [{ text: dosage }],
    });
  }
  return resources;
}
