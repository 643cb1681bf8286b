import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../../src/main/auth/demo';
import type { HospitalTestServer } from '../../../../../src/main/hospital/test-server';
import type { PatientRow } from '../../../../../src/shared/record/types';
import { createTestHost, type TestHost } from '../../../../support/host';
import { copiesOf, get, removeDirs, startServer } from './helpers';

/** The write methods through the real dispatcher, as signed-in users, pushing to the real hospital test server. */
let server: HospitalTestServer;
let t: TestHost;
const doctor = DEMO_ACCOUNTS.find((a) => a.role === 'medecin')!;
const emergency = DEMO_ACCOUNTS.find((a) => a.role === 'urgentiste')!;
const ctx = { clientId: 'writes-doctor', transport: 'http' as const };
const ctxUrg = { clientId: 'writes-urg', transport: 'http' as const };
type R = { ok: boolean; value?: any; error?: { code: string; message: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
const d = (m: string, i: unknown, c = ctx) => t.host.dispatch(m, i, c) as Promise<R>;
/** How the renderer names a patient it has in its cache. */
const ref = (p: PatientRow) => ({ id: p.id });

beforeAll(async () => {
  server = await startServer();
  t = await createTestHost({ config: { hospital: { baseUrl: server.url, label: 'Serveur hospitalier de test', test: true } } });
  expect((await d('session.login', { userId: doctor.id, password: doctor.password })).ok).toBe(true);
  expect((await d('session.login', { userId: emergency.id, password: emergency.password }, ctxUrg)).ok).toBe(true);
});
afterAll(async () => {
  await t.close();
  await server.close();
  removeDirs();
});

/** Waits for the outbox (it drains by itself) to have nothing left to try. */
async function settled(): Promise<void> {
  for (let k = 0; k < 100; k++) {
    await t.host.outbox.drain();
    if (t.host.outbox.list().every((i) => i.state !== 'pending' && i.state !== 'sending')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local writes through the bridge', () => {
  let patient: PatientRow;

  it('creates a provisional identity with its stay: journalled, in the replica at once, on the server exactly once', async () => {
    const r = await d('record.patient.create', {
      birthFamilyName: 'Rivière',
      birthGivenNames: 'Anne Marie',
      birthDate: '28/03/1979',
      sex: 'F',
      stay: { unit: 'Cardiologie', type: 'hospitalisation', motive: 'Douleur thoracique' },
    });
    expect(r.ok, r.error?.message).toBe(true);
    patient = r.value.rows.patients[0];
    expect(patient).toMatchObject({ birthFamilyName: 'Rivière', birthDate: '1979-03-28', identityStatus: 'PROV', units: ['Cardiologie'], currentUnit: 'Cardiologie' });
    expect(patient.ipp).toMatch(/^9\d{14}$/);
    expect(r.value.rows.stays[0]).toMatchObject({ patientId: patient.id, unit: 'Cardiologie', type: 'hospitalisation' });
    expect(r.value.seq).toBe(t.host.replica.head());
    expect(await t.host.replica.get('patients', patient.id)).toEqual(patient);
    expect(t.audit.events.at(-1)).toMatchObject({ type: 'record.patient.create', action: 'C', agent: { userId: doctor.id }, patient: { ipp: patient.ipp } });

    await settled();
    const serverId = t.host.outbox.serverIdOf(patient.id)!;
    expect(await copiesOf(server, 'Patient', patient.id)).toBe(1);
    const onServer = await get(server, `/Patient/${serverId}`);
    expect(onServer.json.identifier).toContainEqual(expect.objectContaining({ value: patient.ipp }));
    const encounters = await get(server, `/Encounter?subject=Patient/${serverId}`);
    expect(encounters.json.entry.map((e: { resource: { serviceProvider: unknown } }) => e.resource.serviceProvider)).toEqual([{ display: 'Cardiologie' }]);
    // The replica's rows now carry the server's ids, and its version for the next If-Match.
    expect(await t.host.replica.get('patients', patient.id)).toBeUndefined();
    expect(await t.host.replica.get('patients', serverId)).toMatchObject({ id: serverId, ipp: patient.ipp });
    expect(t.host.replica.versionOf('Patient', serverId)).toBe(onServer.json.meta.versionId);
  });

  it('refuses bad input in French, field by field, and writes nothing', async () => {
    const head = t.host.replica.head();
    const queued = t.host.outbox.list().length;
    const r = await d('record.allergy.add', { patient: ref(patient), substance: '  ', criticality: 'grave' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(r.error!.message).toBe('Saisie incomplète ou incorrecte :\n- Allergène : champ obligatoire.\n- Gravité : valeur non reconnue (attendu : low, high, unable-to-assess).');
    const qual = await d('record.patient.create', { birthFamilyName: 'Essai', birthGivenNames: 'Paul', birthDate: '01/02/1980', sex: 'M', identityStatus: 'QUAL' });
    expect(qual.error?.message).toBe("Statut de l'identité : une identité créée au poste est provisoire (PROV) ; sa qualification passe par le téléservice INSi.");
    const both = await d('record.patient.create', { birthFamilyName: 'Essai', birthGivenNames: 'Paul', birthDate: '01/02/2090', sex: 'M', identityStatus: 'VALI' });
    expect(both.error?.message).toBe("Saisie incomplète ou incorrecte :\n- Date de naissance : la date ne peut pas être dans le futur.\n- Statut de l'identité : une identité créée au poste est provisoire (PROV) ; sa qualification passe par le téléservice INSi.");
    const date = await d('record.problem.add', { patient: ref(patient), code: 'X', label: 'Diag', onset: '31/02/2020' });
    expect(date.error?.message).toBe('Saisie incomplète ou incorrecte :\n- Code CIM-10 : format attendu lettre + 2 chiffres, ex. I21.0 ou E11.9.\n- Date de début : date invalide, attendu jj/mm/aaaa.');
    expect(t.host.replica.head()).toBe(head);
    expect(t.host.outbox.list().length).toBe(queued);
  });

  it('bedside entries on the patient (named by its local id): each on the server once, under the server patient', async () => {
    const p = ref(patient);
    const allergy = await d('record.allergy.add', { patient: p, substance: 'Pénicilline', criticality: 'high', reaction: 'Urticaire' });
    const treatment = await d('record.treatment.add', { patient: p, medication: 'Bisoprolol 2,5 mg', dosage: '1 cp le matin' });
    const problem = await d('record.problem.add', { patient: p, code: 'i21.0', label: 'Infarctus antérieur' });
    const note = await d('record.note.add', { patient: p, text: 'Douleur calmée sous trinitrine.' });
    for (const r of [allergy, treatment, problem, note]) expect(r.ok, r.error?.message).toBe(true);
    const serverId = t.host.outbox.serverIdOf(patient.id)!;
    expect(allergy.value.rows.allergies[0]).toMatchObject({ patientId: serverId, substance: 'Pénicilline', recordedBy: 'Dr Claire Martin', status: 'active' });
    expect(problem.value.rows.problems[0].code).toBe('I21.0');
    expect(note.value.rows.notes[0]).toMatchObject({ author: 'Dr Claire Martin', text: 'Douleur calmée sous trinitrine.' });
    expect(t.audit.events.slice(-4).map((e) => e.type)).toEqual(['record.allergy.write', 'record.treatment.write', 'record.problem.write', 'record.note.write']);

    await settled();
    for (const [type, r, table] of [
      ['AllergyIntolerance', allergy, 'allergies'],
      ['MedicationRequest', treatment, 'treatments'],
      ['Condition', problem, 'problems'],
      ['DocumentReference', note, 'notes'],
    ] as const) {
      const local = r.value.rows[table][0].id;
      expect(await copiesOf(server, type, local), type).toBe(1);
      const id = t.host.outbox.serverIdOf(local)!;
      const res = (await get(server, `/${type}/${id}`)).json;
      expect(res.patient ?? res.subject).toEqual({ reference: `Patient/${serverId}` });
    }
    const list = await d('sync.outbox.list', {});
    expect(list.value.items.map((i: { label: string; state: string; status: string }) => [i.label, i.state, i.status])).toEqual([
      ['Nouveau patient : Rivière Anne Marie', 'sent', 'Envoyé au serveur hospitalier'],
      ['Allergie : Pénicilline', 'sent', 'Envoyé au serveur hospitalier'],
      ['Traitement : Bisoprolol 2,5 mg', 'sent', 'Envoyé au serveur hospitalier'],
      ['Diagnostic : I21.0 Infarctus antérieur', 'sent', 'Envoyé au serveur hospitalier'],
      ['Note clinique', 'sent', 'Envoyé au serveur hospitalier'],
    ]);
    expect((await d('sync.status', {})).value).toMatchObject({ pending: 0, failed: 0, conflicts: 0 });
  });

  it('an unidentified emergency patient, then linked to the real identity before it ever reached the server', async () => {
    const u = await d('record.patient.createUnidentified', {}, ctxUrg);
    expect(u.ok, u.error?.message).toBe(true);
    const unknown: PatientRow = u.value.rows.patients[0];
    expect(unknown).toMatchObject({ birthFamilyName: 'INCONNU', sex: 'U', identityStatus: 'PROV', units: ['Urgences'] });
    expect(unknown.provisionalLabel).toMatch(/^Inconnu urgences \d{2}\/\d{2} \d{2}:\d{2}$/);
    const link = await d('record.identity.link', { patient: ref(unknown), realId: t.host.outbox.serverIdOf(patient.id) }, ctxUrg);
    expect(link.ok, link.error?.message).toBe(true);
    expect(link.value.rows.patients[0]).toMatchObject({ id: unknown.id, linkedTo: t.host.outbox.serverIdOf(patient.id) });
    const after = await d('record.note.add', { patient: ref(unknown), text: 'x' }, ctxUrg);
    expect(after.error).toEqual({ code: 'CONFLICT', message: "Cette identité provisoire a été rattachée à l'identité définitive : saisissez dans le dossier définitif." });

    await settled();
    const id = t.host.outbox.serverIdOf(unknown.id)!;
    const onServer = (await get(server, `/Patient/${id}`)).json;
    expect(onServer.link).toEqual([{ other: { reference: `Patient/${t.host.outbox.serverIdOf(patient.id)}` }, type: 'replaced-by' }]);
    expect(onServer.meta.versionId).toBe(t.host.replica.versionOf('Patient', id));
    expect(await copiesOf(server, 'Patient', unknown.id)).toBe(1);
  });

  it('412: a link on an identity changed on the server since is a conflict with both versions; nothing is overwritten', async () => {
    const u = await d('record.patient.createUnidentified', { sex: 'M' }, ctxUrg);
    await settled();
    const localId = u.value.rows.patients[0].id as string;
    const id = t.host.outbox.serverIdOf(localId)!;
    // Another workstation adds a phone number in the meantime.
    const current = (await get(server, `/Patient/${id}`)).json;
    const put = await fetch(`${server.url}/Patient/${id}`, { method: 'PUT', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify({ ...current, telecom: [{ system: 'phone', value: '0380000000' }] }) });
    expect(put.status).toBe(200);
    const theirVersion = ((await put.json()) as { meta: { versionId: string } }).meta.versionId;

    const link = await d('record.identity.link', { patient: { id: localId }, realId: t.host.outbox.serverIdOf(patient.id) }, ctxUrg);
    expect(link.ok, link.error?.message).toBe(true);
    await settled();
    const item = (await d('sync.outbox.list', {})).value.items.at(-1);
    expect(item).toMatchObject({ state: 'conflict', status: 'Conflit à résoudre : la version du serveur a changé depuis votre saisie' });
    expect(item.conflict.mine).toMatchObject({ id, linkedTo: t.host.outbox.serverIdOf(patient.id) });
    expect(item.conflict.theirs).toMatchObject({ versionId: theirVersion, row: { id, birthFamilyName: 'INCONNU' } });
    expect(item.conflict.theirs.row.linkedTo).toBeUndefined();
    expect((await get(server, `/Patient/${id}`)).json).toMatchObject({ meta: { versionId: theirVersion }, telecom: [{ value: '0380000000' }] });
    expect((await d('sync.status', {})).value.conflicts).toBe(1);

    // Keep mine: re-sent on their version; their phone number stays.
    const kept = await d('sync.conflict.resolve', { id: item.id, keep: 'mine' }, ctxUrg);
    expect(kept.ok, kept.error?.message).toBe(true);
    await settled();
    const final = (await get(server, `/Patient/${id}`)).json;
    expect(final.telecom).toEqual([{ system: 'phone', value: '0380000000' }]);
    expect(final.link).toEqual([{ other: { reference: `Patient/${t.host.outbox.serverIdOf(patient.id)}` }, type: 'replaced-by' }]);
    expect(t.audit.events.at(-1)).toMatchObject({ type: 'sync.conflict.resolve', agent: { userId: emergency.id }, detail: { keep: 'mine' } });
    expect((await d('sync.status', {})).value.conflicts).toBe(0);
  });
});
