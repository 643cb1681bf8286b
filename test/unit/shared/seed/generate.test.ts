import { describe, expect, it } from 'vitest';
import { createPopulation, generateBundles } from '../../../../src/shared/seed/generate';
import { createRng, mulberry32 } from '../../../../src/shared/seed/prng';
import { validateNir } from '../../../../src/shared/ins/nir';
import { base64ToBytes, bytesToBase64, bytesToBase64Js, textToBase64 } from '../../../../src/shared/text/base64';
import type { FhirResource } from '../../../../src/shared/seed/fhir-types';

type Patient = FhirResource & {
  identifier: { system: string; value: string }[];
  name: { use: string; family?: string; given?: string[] }[];
  gender: string;
  birthDate: string;
  extension: { url: string; extension?: { valueCoding: { code: string } }[]; valueAddress?: { extension: { valueCoding: { code: string } }[] } }[];
};

function patients(n: number, seed: number): Patient[] {
  const out: Patient[] = [];
  for (const { bundle } of generateBundles(n, { seed, perBundle: 250, content: 'text', documentsPerPatient: 2 })) {
    for (const e of bundle.entry) if (e.resource.resourceType === 'Patient') out.push(e.resource as Patient);
  }
  return out;
}

describe('seed population', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = JSON.stringify([...generateBundles(30, { seed: 42, perBundle: 10 })].map((b) => b.bundle));
    const b = JSON.stringify([...generateBundles(30, { seed: 42, perBundle: 10 })].map((b) => b.bundle));
    const c = JSON.stringify([...generateBundles(30, { seed: 43, perBundle: 10 })].map((b) => b.bundle));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    // Chunking does not change the content.
    const d = JSON.stringify([...generateBundles(30, { seed: 42, perBundle: 30 })].flatMap((x) => x.bundle.entry));
    expect(d).toBe(JSON.stringify(JSON.parse(a).flatMap((x: { entry: unknown[] }) => x.entry)));
  });

  it('gives valid test NIRs consistent with sex, birth date and birthplace, never twice', () => {
    const list = patients(1000, 7);
    const nirs = new Set<string>();
    let withIns = 0;
    for (const p of list) {
      const ins = p.identifier.find((i) => i.system === 'urn:oid:1.2.250.1.213.1.4.10');
      if (!ins) continue;
      withIns++;
      expect(validateNir(ins.value).ok, ins.value).toBe(true);
      expect(ins.value[0]).toBe(p.gender === 'male' ? '1' : '2');
      expect(ins.value.slice(1, 3)).toBe(p.birthDate.slice(2, 4));
      expect(ins.value.slice(3, 5)).toBe(p.birthDate.slice(5, 7));
      const place = p.extension.find((e) => e.url.endsWith('patient-birthPlace'))!.valueAddress!.extension[0]!.valueCoding.code;
      expect(ins.value.slice(5, 10)).toBe(place);
      expect(nirs.has(ins.value)).toBe(false);
      nirs.add(ins.value);
    }
    expect(withIns).toBeGreaterThan(700);
  });

  it('has realistic identity statuses, names and birthplaces', () => {
    const list = patients(2000, 9);
    const status = (p: Patient) => p.extension.find((e) => e.url.includes('identity-reliability'))!.extension![0]!.valueCoding.code;
    const share = (s: string) => list.filter((p) => status(p) === s).length / list.length;
    expect(share('QUAL')).toBeGreaterThan(0.6);
    for (const s of ['PROV', 'RECUP', 'VALI']) expect(share(s)).toBeGreaterThan(0.02);
    const families = list.map((p) => p.name[0]!.family!);
    expect(families.some((f) => /[éèêëï]/.test(f))).toBe(true);
    expect(families.some((f) => f.includes('-'))).toBe(true);
    expect(families.some((f) => /['’]/.test(f))).toBe(true);
    expect(families.some((f) => /^(de|Le|Du) /.test(f))).toBe(true);
    const places = list.map((p) => p.extension.find((e) => e.url.endsWith('patient-birthPlace'))!.valueAddress!.extension[0]!.valueCoding.code);
    expect(places.some((c) => c.startsWith('2A') || c.startsWith('2B'))).toBe(true);
    expect(places.some((c) => c.startsWith('97'))).toBe(true);
    expect(places.some((c) => c.startsWith('99'))).toBe(true);
  });

  it('produces about ten documents per patient, lab series and stays in several units', () => {
    const pop = createPopulation({ seed: 1 });
    let docs = 0;
    const units = new Set<string>();
    const labCodes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const { resources, counts } = pop.patient(i);
      docs += counts.documents;
      for (const r of resources) {
        if (r.resourceType === 'Encounter') units.add((r.serviceProvider as { display: string }).display);
        if (r.resourceType === 'Observation') labCodes.add((r.code as { coding: { code: string }[] }).coding[0]!.code);
      }
    }
    expect(docs / 300).toBeGreaterThan(9);
    expect(docs / 300).toBeLessThan(11);
    expect([...units]).toEqual(expect.arrayContaining(['Cardiologie', 'Chirurgie digestive', 'Urgences']));
    expect([...labCodes]).toEqual(expect.arrayContaining(['14682-9', '718-7', '2823-3', '1988-5', '4548-4']));
  });
});

describe('prng and base64', () => {
  it('mulberry32 is stable', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()].map((x) => Math.floor(x * 1e6))).toEqual([627073, 2735, 527447]);
    const rng = createRng(5);
    for (let i = 0; i < 100; i++) expect(rng.int(3, 4)).toBeGreaterThanOrEqual(3);
  });

  it('base64 round-trips UTF-8 and bytes, native and portable paths agree, garbage is refused', () => {
    const text = 'Compte rendu — Éloïse N’Diaye, cœur ✓';
    expect(new TextDecoder().decode(base64ToBytes(textToBase64(text)))).toBe(text);
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
    for (const n of [0, 1, 2, 3, 999, 1000]) {
      const b = bytes.subarray(0, n);
      expect(bytesToBase64(b)).toBe(bytesToBase64Js(b));
      expect(Array.from(base64ToBytes(bytesToBase64(b))!)).toEqual(Array.from(b));
    }
    expect(base64ToBytes('abc')).toBeUndefined();
    expect(base64ToBytes('ab$=')).toBeUndefined();
  });
});
