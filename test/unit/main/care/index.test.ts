import { describe, expect, it } from 'vitest';
import { createCareIndex, type CareEncounter } from '../../../../src/main/care/index';

const DAY = 86_400_000;
const now = new Date('2026-11-30T10:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY).toISOString();

function indexWith(...encounters: CareEncounter[]) {
  const index = createCareIndex({ windowDays: 30 });
  index.putPatient({ id: 'p1', ipp: '100000001', ins: '252077101484208@1.2.250.1.213.1.4.10' });
  index.putPatient({ id: 'p2', ipp: '100000002' });
  for (const e of encounters) index.putEncounter(e);
  return index;
}

describe('care index: the care relationship rule', () => {
  it('a current stay, a planned admission and a stay ended 29 days ago open the unit; 31 days ago does not', () => {
    const cases: [Partial<CareEncounter>, boolean][] = [
      [{ status: 'in-progress', start: daysAgo(200) }, true],
      [{ status: 'arrived' }, true],
      [{ status: 'onleave', start: daysAgo(3) }, true],
      [{ status: 'planned', start: new Date(now.getTime() + 5 * DAY).toISOString() }, true],
      [{ status: 'finished', start: daysAgo(40), end: daysAgo(29) }, true],
      [{ status: 'finished', start: daysAgo(40), end: daysAgo(31) }, false],
      [{ status: 'finished', start: daysAgo(40), end: daysAgo(30) }, false],
      [{ status: 'finished', start: daysAgo(2), end: new Date(now.getTime() + DAY).toISOString() }, true],
      [{ status: 'finished', start: daysAgo(10) }, true],
      [{ status: 'finished' }, false],
      [{ status: 'cancelled', start: daysAgo(1) }, false],
      [{ status: 'entered-in-error' }, false],
      [{ status: 'in-progress', start: daysAgo(90), end: daysAgo(60) }, false],
    ];
    for (const [partial, expected] of cases) {
      const index = indexWith({ id: 'e1', patientId: 'p1', unit: 'Cardiologie', status: 'finished', ...partial } as CareEncounter);
      expect({ partial, inCare: index.inCare('p1', ['Cardiologie'], now) }).toEqual({ partial, inCare: expected });
      expect(index.patientsInCare(['Cardiologie'], now)).toEqual(expected ? ['p1'] : []);
      expect(index.patientsInCare('all', now)).toEqual(expected ? ['p1'] : []);
    }
  });

  it('a stay opens only its own unit, and any one of the given units suffices', () => {
    const index = indexWith({ id: 'e1', patientId: 'p1', unit: 'Urgences', status: 'in-progress' });
    expect(index.inCare('p1', ['Cardiologie'], now)).toBe(false);
    expect(index.inCare('p1', ['Cardiologie', 'Urgences'], now)).toBe(true);
    expect(index.inCare('p2', ['Urgences'], now)).toBe(false);
    expect(index.inCare('nobody', ['Urgences'], now)).toBe(false);
    expect(index.patientsInCare(['Cardiologie'], now)).toEqual([]);
    expect(index.patientsInCare(['Urgences', 'Urgences'], now)).toEqual(['p1']);
  });

  it('the window is a setting: 7 days closes a stay ended 8 days ago', () => {
    const index = createCareIndex({ windowDays: 7 });
    index.putEncounter({ id: 'e1', patientId: 'p1', unit: 'Cardiologie', status: 'finished', end: daysAgo(8) });
    index.putEncounter({ id: 'e2', patientId: 'p2', unit: 'Cardiologie', status: 'finished', end: daysAgo(6) });
    expect(index.patientsInCare(['Cardiologie'], now)).toEqual(['p2']);
  });

  it('a stay updated or removed moves out of its old unit and day at once', () => {
    const index = indexWith({ id: 'e1', patientId: 'p1', unit: 'Cardiologie', status: 'in-progress', start: daysAgo(2) });
    index.putEncounter({ id: 'e1', patientId: 'p1', unit: 'Cardiologie', status: 'finished', start: daysAgo(2), end: daysAgo(45) });
    expect(index.patientsInCare(['Cardiologie'], now)).toEqual([]);
    index.putEncounter({ id: 'e1', patientId: 'p1', unit: 'Neurologie', status: 'finished', start: daysAgo(2), end: daysAgo(1) });
    expect(index.patientsInCare(['Cardiologie'], now)).toEqual([]);
    expect(index.patientsInCare(['Neurologie'], now)).toEqual(['p1']);
    expect(index.encountersOf('p1')).toEqual([{ id: 'e1', patientId: 'p1', unit: 'Neurologie', status: 'finished', start: daysAgo(2), end: daysAgo(1) }]);
    index.removeEncounter('e1');
    expect(index.patientsInCare('all', now)).toEqual([]);
    expect(index.encountersOf('p1')).toEqual([]);
    expect(index.size).toEqual({ patients: 2, encounters: 0 });
  });

  it('identity: IPP always, INS only as given (qualified identities); a removed patient loses its stays too', () => {
    const index = indexWith({ id: 'e1', patientId: 'p1', unit: 'Cardiologie', status: 'in-progress' });
    expect(index.identity('p1')).toEqual({ id: 'p1', ipp: '100000001', ins: '252077101484208@1.2.250.1.213.1.4.10' });
    expect(index.identity('p2')).toEqual({ id: 'p2', ipp: '100000002' });
    expect(index.identity('p3')).toBeNull();
    expect(index.idByIpp('100000002')).toBe('p2');
    index.putPatient({ id: 'p2', ipp: '100000022' });
    expect(index.idByIpp('100000002')).toBeNull();
    expect(index.idByIpp('100000022')).toBe('p2');
    index.removePatient('p1');
    expect(index.idByIpp('100000001')).toBeNull();
    expect(index.identity('p1')).toBeNull();
    expect(index.inCare('p1', ['Cardiologie'], now)).toBe(false);
    expect(index.size).toEqual({ patients: 1, encounters: 0 });
  });

  it('a snapshot restores the same answers; a corrupt one is refused with a French message', () => {
    const index = indexWith(
      { id: 'e1', patientId: 'p1', unit: 'Cardiologie', status: 'finished', start: daysAgo(40), end: daysAgo(29) },
      { id: 'e2', patientId: 'p2', unit: 'Urgences', status: 'planned' },
    );
    const restored = createCareIndex({ windowDays: 30, from: JSON.parse(JSON.stringify(index.snapshot())) });
    expect(restored.identity('p1')).toEqual(index.identity('p1'));
    expect(restored.identity('p2')).toEqual({ id: 'p2', ipp: '100000002' });
    expect(restored.patientsInCare('all', now).sort()).toEqual(['p1', 'p2']);
    expect(restored.encountersOf('p1')).toEqual(index.encountersOf('p1'));
    expect(() => createCareIndex({ windowDays: 30, from: { format: 'care-index/1', patients: [['p1']], encounters: [] } })).toThrow(/Index de prise en charge illisible/);
    expect(() => createCareIndex({ windowDays: 30, from: null })).toThrow(/Index de prise en charge illisible/);
  });
});

describe('care index at hospital scale', () => {
  it('200,000 patients and 600,000 stays: inCare and patientsInCare stay fast', () => {
    const units = ['Cardiologie', 'Chirurgie digestive', 'Urgences', 'Neurologie', 'Pneumologie', 'Gériatrie', 'Médecine interne', 'Réanimation médicale', 'Pédiatrie', 'Orthopédie'];
    const index = createCareIndex({ windowDays: 30 });
    const t0 = performance.now();
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 200_000; i++) {
      const id = `p${100_000_001 + i}`;
      index.putPatient({ id, ipp: String(100_000_001 + i) });
      for (let k = 0; k < 3; k++) {
        const endDaysAgo = Math.floor(rand() * 5000) - 2;
        const current = k === 2 && rand() < 0.01;
        index.putEncounter({
          id: `e${i}-${k}`,
          patientId: id,
          unit: units[Math.floor(rand() * units.length)]!,
          status: current ? 'in-progress' : 'finished',
          start: daysAgo(endDaysAgo + 5),
          ...(current ? {} : { end: daysAgo(endDaysAgo) }),
        });
      }
    }
    const buildMs = performance.now() - t0;
    expect(index.size).toEqual({ patients: 200_000, encounters: 600_000 });

    const t1 = performance.now();
    let hits = 0;
    for (let i = 0; i < 200_000; i++) if (index.inCare(`p${100_000_001 + i}`, ['Cardiologie'], now)) hits++;
    const inCareUs = ((performance.now() - t1) * 1000) / 200_000;

    const t2 = performance.now();
    const rounds = 20;
    let cardio: string[] = [];
    for (let r = 0; r < rounds; r++) cardio = index.patientsInCare(['Cardiologie'], now);
    const unitMs = (performance.now() - t2) / rounds;
    const t3 = performance.now();
    const all = index.patientsInCare('all', now);
    const allMs = performance.now() - t3;

    expect(cardio.length).toBe(hits);
    expect(all.length).toBeGreaterThan(cardio.length);
    console.log(
      `care index, 200,000 patients / 600,000 stays: build ${buildMs.toFixed(0)} ms; inCare ${inCareUs.toFixed(2)} µs/call; ` +
        `patientsInCare(1 unit) ${unitMs.toFixed(2)} ms (${cardio.length} patients); patientsInCare('all') ${allMs.toFixed(2)} ms (${all.length})`,
    );
    // Generous bounds for a shared 2-core machine: the point is no scan of the 600,000 stays per call.
    expect(inCareUs).toBeLessThan(20);
    expect(unitMs).toBeLessThan(50);
  }, 120_000);
});
