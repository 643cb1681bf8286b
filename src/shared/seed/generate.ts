import { DEFAULT_IPP_SYSTEM, INS_OID, insSystem } from '../ins/oids';
import { withNirKey } from '../ins/nir';
import type { IdentityStatus } from '../ins/identity-status';
import { textToBase64 } from '../text/base64';
import {
  ALLERGENS,
  ANALYTES,
  DOCTORS,
  DOC_TYPES,
  MEDICATIONS,
  MOTIVES,
  PROBLEMS,
  PROCEDURES,
  REACTIONS,
  UNIT_WEIGHTS,
  type DocTypeKey,
  type Unit,
} from './catalog';
import { shortCda } from './cda';
import { SYSTEMS, type FhirBundle, type FhirResource } from './fhir-types';
import { FAMILY_NAMES, GIVEN_NAMES, generationOf } from './names';
import { BIRTHPLACES } from './places';
import { createRng, mixSeed, type Rng } from './prng';

export interface SeedOptions {
  seed?: number;
  /** Mean documents per patient (10 gives 2,000,000 for 200,000 patients). */
  documentsPerPatient?: number;
  /** "Today" of the generated population, so output does not depend on the clock. */
  referenceDate?: string;
  /** Document content: short CDA (default) or plain text. */
  content?: 'cda' | 'text';
}

export interface SeedCounts {
  patients: number;
  stays: number;
  documents: number;
  allergies: number;
  treatments: number;
  problems: number;
  procedures: number;
  observations: number;
}

export function emptyCounts(): SeedCounts {
  return { patients: 0, stays: 0, documents: 0, allergies: 0, treatments: 0, problems: 0, procedures: 0, observations: 0 };
}

const STATUS_WEIGHTS: readonly (readonly [IdentityStatus, number])[] = [
  ['QUAL', 72],
  ['RECUP', 12],
  ['VALI', 9],
  ['PROV', 7],
];

const DAY = 86_400_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function ident(kind: string, value: string) {
  return [{ system: SYSTEMS.seedIdentifier + kind, value }];
}

function ref(patientFhirId: string) {
  return { reference: `Patient/${patientFhirId}` };
}

function birthYear(rng: Rng): number {
  // Hospital population skews old: roughly a third over 65.
  const band = rng.weighted([
    [[1925, 1944], 14],
    [[1945, 1959], 22],
    [[1960, 1979], 24],
    [[1980, 1999], 22],
    [[2000, 2024], 18],
  ] as const);
  return rng.int(band[0], band[1]);
}

/**
 * A deterministic synthetic French population. `patient(i)` depends only on the seed and i,
 * except INS uniqueness: a NIR already handed out moves to the next order number, so generate
 * in index order (the CLI does).
 */
export function createPopulation(options: SeedOptions = {}) {
  const seed = options.seed ?? 1;
  const docsMean = options.documentsPerPatient ?? 10;
  const reference = Date.parse((options.referenceDate ?? '2025-06-30') + 'T12:00:00Z');
  const contentKind = options.content ?? 'cda';
  const usedNirs = new Set<string>();

  function nirFor(rng: Rng, sex: 'M' | 'F', birthDate: string, place: string): string {
    const head = (sex === 'M' ? '1' : '2') + birthDate.slice(2, 4) + birthDate.slice(5, 7) + place;
    let order = rng.int(1, 999);
    for (let tries = 0; tries < 999 && usedNirs.has(head + String(order).padStart(3, '0')); tries++) {
      order = (order % 999) + 1;
    }
    const body = head + String(order).padStart(3, '0');
    usedNirs.add(body);
    return withNirKey(body);
  }

  /** All FHIR resources of patient i (Patient first). */
  function patient(i: number): { resources: FhirResource[]; counts: SeedCounts } {
    const rng = createRng(mixSeed(seed, i));
    const counts = emptyCounts();
    const ipp = String(100_000_001 + i);
    const pid = `p${ipp}`;
    const sex: 'M' | 'F' = rng.chance(0.5) ? 'F' : 'M';
    const year = Math.min(birthYear(rng), new Date(reference).getUTCFullYear() - 1);
    const month = rng.int(1, 12);
    const day = rng.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
    const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const [placeCode, placeName] = rng.weighted(BIRTHPLACES.map(([c, n, w]) => [[c, n] as const, w] as const));
    const family = rng.weighted(FAMILY_NAMES);
    const givenPool = GIVEN_NAMES[sex][generationOf(year)];
    const given = [rng.pick(givenPool)];
    if (rng.chance(0.45)) given.push(rng.pick(GIVEN_NAMES[sex][generationOf(year - 30)]));
    if (rng.chance(0.1)) given.push(rng.pick(GIVEN_NAMES[sex][generationOf(year - 60)]));
    const uniqueGiven = [...new Set(given)];
    const status = rng.weighted(STATUS_WEIGHTS);
    const usedFamily = sex === 'F' && year < 2000 && rng.chance(0.45) ? rng.weighted(FAMILY_NAMES) : undefined;
    const usedGiven = rng.chance(0.05) ? uniqueGiven[uniqueGiven.length - 1] : undefined;

    const identifier: unknown[] = [
      { use: 'usual', type: { coding: [{ system: SYSTEMS.v2_0203, code: 'PI' }] }, system: DEFAULT_IPP_SYSTEM, value: ipp },
    ];
    // INS comes from the INSi teleservice: present for RECUP and QUAL, absent otherwise.
    if (status === 'RECUP' || status === 'QUAL') {
      identifier.push({
        use: 'official',
        type: { coding: [{ system: SYSTEMS.frCoreV2_0203, code: 'INS-NIR-TEST' }] },
        system: insSystem(INS_OID.TEST_NIR),
        value: nirFor(rng, sex, birthDate, placeCode),
      });
    }
    const names: unknown[] = [{ use: 'official', family, given: uniqueGiven }];
    if (usedFamily && usedFamily !== family) names.push({ use: 'usual', family: usedFamily, ...(usedGiven ? { given: [usedGiven] } : {}) });
    else if (usedGiven) names.push({ use: 'usual', given: [usedGiven] });

    const resources: FhirResource[] = [
      {
        resourceType: 'Patient',
        id: pid,
        extension: [
          {
            url: SYSTEMS.identityReliability,
            extension: [{ url: 'identityStatus', valueCoding: { system: SYSTEMS.identityStatusCodes, code: status } }],
          },
          {
            url: SYSTEMS.birthPlace,
            valueAddress: { extension: [{ url: SYSTEMS.inseeCode, valueCoding: { code: placeCode } }], city: placeName },
          },
        ],
        identifier,
        name: names,
        gender: sex === 'M' ? 'male' : 'female',
        birthDate,
      },
    ];
    counts.patients++;

    // Stays between the later of birth and 2012 and the reference date.
    const birthMs = Date.parse(birthDate + 'T00:00:00Z');
    // Babies born in the last year get stays right after birth; nobody is seen after `reference`.
    const from = Math.min(Math.max(birthMs + 365 * DAY, Date.parse('2012-01-01T00:00:00Z')), Math.max(birthMs + DAY, reference - 30 * DAY));
    const nStays = rng.weighted([[1, 35], [2, 30], [3, 20], [4, 10], [5, 5]] as const);
    const starts = Array.from({ length: nStays }, () => from + rng.next() * (reference - from)).sort((a, b) => a - b);
    const stays = starts.map((start, k) => {
      const unit = rng.weighted(UNIT_WEIGHTS);
      const emergency = unit === 'Urgences';
      const length = emergency ? rng.int(2, 10) * 3_600_000 : rng.int(1, 12) * DAY;
      const ongoing = k === nStays - 1 && reference - start < 15 * DAY && rng.chance(0.7);
      const id = `enc-${ipp}-${k + 1}`;
      const motive = rng.pick(MOTIVES[unit]);
      resources.push({
        resourceType: 'Encounter',
        id,
        identifier: ident('sejour', id),
        status: ongoing ? 'in-progress' : 'finished',
        class: { system: SYSTEMS.actCode, code: emergency ? 'EMER' : rng.chance(0.1) ? 'AMB' : 'IMP' },
        subject: ref(pid),
        period: ongoing ? { start: iso(start) } : { start: iso(start), end: iso(Math.min(start + length, reference)) },
        reasonCode: [{ text: motive }],
        serviceProvider: { display: unit },
      });
      counts.stays++;
      return { id, unit, start, end: Math.min(start + length, reference), motive };
    });

    const problems = new Set<string>();
    for (let k = rng.weighted([[0, 15], [1, 35], [2, 30], [3, 15], [4, 5]] as const); k > 0; k--) {
      const [code, label] = rng.pick(PROBLEMS);
      if (problems.has(code)) continue;
      problems.add(code);
      const id = `cond-${ipp}-${code}`;
      resources.push({
        resourceType: 'Condition',
        id,
        identifier: ident('diagnostic', id),
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: rng.chance(0.8) ? 'active' : 'resolved' }] },
        code: { coding: [{ system: SYSTEMS.cim10, code, display: label }], text: label },
        subject: ref(pid),
        onsetDateTime: iso(rng.pick(stays).start),
      });
      counts.problems++;
    }

    if (rng.chance(0.25)) {
      for (let k = rng.int(1, 2); k > 0; k--) {
        const [substance, code] = rng.pick(ALLERGENS);
        const id = `alg-${ipp}-${k}`;
        resources.push({
          resourceType: 'AllergyIntolerance',
          id,
          identifier: ident('allergie', id),
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
          criticality: rng.chance(0.3) ? 'high' : 'low',
          code: { ...(code ? { coding: [{ system: SYSTEMS.atc, code }] } : {}), text: substance },
          patient: ref(pid),
          recordedDate: iso(stays[0]!.start),
          reaction: [{ manifestation: [{ text: rng.pick(REACTIONS) }] }],
        });
        counts.allergies++;
      }
    }

    const lastStay = stays[stays.length - 1]!;
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
      counts.treatments++;
    }

    for (const stay of stays) {
      const candidates = PROCEDURES.filter(([, , unit]) => unit === stay.unit);
      if (candidates.length === 0 || !rng.chance(0.5)) continue;
      const [code, label] = rng.pick(candidates);
      const id = `proc-${stay.id}-${code}`;
      resources.push({
        resourceType: 'Procedure',
        id,
        identifier: ident('acte', id),
        status: 'completed',
        code: { coding: [{ system: SYSTEMS.ccam, code, display: label }], text: label },
        subject: ref(pid),
        encounter: { reference: `Encounter/${stay.id}` },
        performedDateTime: iso(stay.start + (stay.end - stay.start) / 3),
        performer: [{ actor: { display: rng.pick(DOCTORS) } }],
      });
      counts.procedures++;
    }

    if (rng.chance(0.6)) {
      const analytes = shuffle(rng, [...ANALYTES]).slice(0, rng.int(2, 3));
      for (const a of analytes) {
        let value = a.mean + (rng.next() - 0.5) * 2 * a.sd;
        const points = rng.int(3, 6);
        for (let k = 0; k < points; k++) {
          const stay = stays[Math.min(stays.length - 1, Math.floor((k * stays.length) / points))]!;
          const at = stay.start + (k + 1) * 6 * 3_600_000;
          value = Math.max(a.low / 3 + 0.1, value + (rng.next() - 0.5) * a.sd);
          const id = `obs-${ipp}-${a.code}-${k}`;
          const rounded = Number(value.toFixed(a.decimals));
          resources.push({
            resourceType: 'Observation',
            id,
            identifier: ident('resultat', id),
            status: 'final',
            category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
            code: { coding: [{ system: SYSTEMS.loinc, code: a.code, display: a.label }], text: a.label },
            subject: ref(pid),
            effectiveDateTime: iso(at),
            valueQuantity: { value: rounded, unit: a.unit, system: SYSTEMS.ucum },
            referenceRange: [{ low: { value: a.low, unit: a.unit }, high: { value: a.high, unit: a.unit } }],
            interpretation: rounded > a.high ? [{ coding: [{ code: 'H' }] }] : rounded < a.low ? [{ coding: [{ code: 'L' }] }] : undefined,
          });
          counts.observations++;
        }
      }
    }

    const nDocs = Math.max(1, rng.int(Math.max(1, docsMean - 6), docsMean + 6));
    const patientName = { family, given: uniqueGiven.join(' ') };
    for (let k = 0; k < nDocs; k++) {
      const stay = stays[k % stays.length]!;
      const type = docTypeFor(rng, stay.unit as Unit);
      const author = rng.pick(DOCTORS);
      const date = iso(Math.min(reference, stay.end + rng.int(0, 48) * 3_600_000));
      const id = `doc-${ipp}-${k + 1}`;
      const t = DOC_TYPES[type];
      const title = `${t.label} — ${stay.unit}`;
      const text = narrative(type, stay.motive, stay.unit, author);
      const body =
        contentKind === 'cda'
          ? shortCda({
              docId: id,
              type,
              title,
              date,
              patient: { ipp, ippRoot: DEFAULT_IPP_SYSTEM, family: patientName.family, given: patientName.given, sex, birthDate },
              author,
              unit: stay.unit,
              text,
            })
          : text;
      const validated = rng.chance(0.85);
      resources.push({
        resourceType: 'DocumentReference',
        id,
        masterIdentifier: { system: SYSTEMS.seedIdentifier + 'document', value: id },
        status: 'current',
        docStatus: validated || rng.chance(0.5) ? 'final' : 'preliminary',
        type: { coding: [{ system: SYSTEMS.loinc, code: t.code, display: t.label }] },
        subject: ref(pid),
        date,
        author: [{ display: author }],
        ...(validated ? { authenticator: { display: author } } : {}),
        description: title,
        content: [
          {
            attachment: {
              contentType: contentKind === 'cda' ? 'application/hl7-cda+xml' : 'text/plain; charset=utf-8',
              language: 'fr-FR',
              title,
              data: textToBase64(body),
            },
          },
        ],
        context: { encounter: [{ reference: `Encounter/${stay.id}` }] },
      });
      counts.documents++;
    }
    return { resources, counts };
  }

  return { patient };
}

function shuffle<T>(rng: Rng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

function docTypeFor(rng: Rng, unit: Unit): DocTypeKey {
  if (unit === 'Urgences') return rng.weighted([['syntheseUrgences', 6], ['crImagerie', 3], ['crBiologie', 2]] as const);
  if (unit === 'Chirurgie digestive') {
    return rng.weighted([['crOperatoire', 4], ['ldlSortie', 3], ['crImagerie', 2], ['crBiologie', 1], ['ldlEntree', 1]] as const);
  }
  return rng.weighted([['ldlSortie', 4], ['ldlEntree', 1], ['crImagerie', 3], ['crBiologie', 2]] as const);
}

function narrative(type: DocTypeKey, motive: string, unit: string, author: string): string {
  switch (type) {
    case 'crOperatoire':
      return `Intervention pour ${motive.toLowerCase()}. Installation en décubitus dorsal, anesthésie générale. Geste réalisé sans incident. Suites simples attendues. Opérateur : ${author}.`;
    case 'syntheseUrgences':
      return `Motif de passage : ${motive.toLowerCase()}. Examen clinique, bilan biologique et imagerie réalisés. Orientation décidée en lien avec l'équipe. Rédigé par ${author}.`;
    case 'crImagerie':
      return `Indication : ${motive.toLowerCase()}. Technique standard. Résultat : pas d'anomalie aiguë décelée en dehors de signes en rapport avec le motif. Conclusion transmise au service de ${unit}.`;
    case 'crBiologie':
      return `Bilan biologique réalisé en ${unit}. Résultats commentés dans le dossier, à confronter à la clinique.`;
    case 'ldlEntree':
      return `Patient adressé en ${unit} pour ${motive.toLowerCase()}. Antécédents et traitements repris à l'entrée.`;
    case 'ldlSortie':
      return `Hospitalisation en ${unit} pour ${motive.toLowerCase()}. Évolution favorable. Traitement de sortie et suivi précisés. ${author}.`;
  }
}

/** Bundles of `perBundle` patients, in index order, for patients [0, total). */
export function* generateBundles(
  total: number,
  options: SeedOptions & { perBundle?: number } = {},
): Generator<{ bundle: FhirBundle; first: number; count: number; counts: SeedCounts }> {
  const population = createPopulation(options);
  const perBundle = options.perBundle ?? 500;
  for (let first = 0; first < total; first += perBundle) {
    const count = Math.min(perBundle, total - first);
    const counts = emptyCounts();
    const entry: FhirBundle['entry'] = [];
    for (let i = first; i < first + count; i++) {
      const p = population.patient(i);
      for (const r of p.resources) entry.push({ resource: r });
      addCounts(counts, p.counts);
    }
    yield {
      bundle: { resourceType: 'Bundle', id: `seed-${options.seed ?? 1}-${first}`, type: 'collection', entry },
      first,
      count,
      counts,
    };
  }
}

export function addCounts(into: SeedCounts, add: SeedCounts): void {
  for (const k of Object.keys(into) as (keyof SeedCounts)[]) into[k] += add[k];
}
