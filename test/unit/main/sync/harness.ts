import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCareIndex } from '../../../../src/main/care';
import { createTestClock } from '../../../../src/main/host/clock';
import { createMemoryLogger } from '../../../../src/main/host/logger';
import { startHospitalTestServer, type HospitalTestServer } from '../../../../src/main/hospital/test-server';
import { createFhirClient } from '../../../../src/main/sync/client';
import type { WorkstationScope } from '../../../../src/main/sync/config';
import { createSyncEngine, type SyncEngine } from '../../../../src/main/sync/engine';
import { openReplicaStore, type ReplicaStore, type RowTable } from '../../../../src/main/sync/replica/store';
import { ROW_TABLES } from '../../../../src/shared/record/types';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const REFERENCE_DATE = '2026-06-15';
/** The seeded population's "today" (noon UTC), so care windows are computed against the same instant. */
export const REFERENCE_NOW = new Date(`${REFERENCE_DATE}T12:00:00Z`);

export async function startServer(patients = 30, dataDir = mkdtempSync(path.join(tmpdir(), 'sync-hospital-'))): Promise<HospitalTestServer> {
  return startHospitalTestServer({ dataDir, seed: { patients, seed: 5, referenceDate: REFERENCE_DATE, documentsPerPatient: 2 } });
}

export interface Workstation {
  engine: SyncEngine;
  replica: ReplicaStore;
  care: ReturnType<typeof createCareIndex>;
  clock: ReturnType<typeof createTestClock>;
  logger: ReturnType<typeof createMemoryLogger>;
  dir: string;
}

export async function openWorkstation(url: string, scope: WorkstationScope, dir = mkdtempSync(path.join(tmpdir(), 'sync-ws-')), clientOpts = {}): Promise<Workstation> {
  const replica = await openReplicaStore(path.join(dir, 'replica'));
  const care = createCareIndex({ windowDays: scope.careWindowDays });
  const clock = createTestClock(REFERENCE_NOW);
  const logger = createMemoryLogger();
  const engine = createSyncEngine({
    connection: { baseUrl: url, label: 'Serveur hospitalier de test', test: true },
    scope,
    replica,
    careIndex: care,
    clock,
    logger,
    pollMs: 60_000,
    client: { timeoutMs: 2000, backoffMs: 20, ...clientOpts },
  });
  return { engine, replica, care, clock, logger, dir };
}

/** The replica as the renderer's cache would hold it after applying every batch: table → id → row. */
export async function materialise(replica: ReplicaStore): Promise<Record<RowTable, Map<string, Json>>> {
  const out = Object.fromEntries(ROW_TABLES.map((t) => [t, new Map<string, Json>()])) as Record<RowTable, Map<string, Json>>;
  let after = 0;
  for (;;) {
    const batches = await replica.read(after, 5000);
    if (!batches.length) return out;
    for (const b of batches) {
      expect(b.seq).toBe(after + 1); // no gap
      after = b.seq;
      for (const t of ROW_TABLES) {
        for (const row of (b.upserts[t] ?? []) as Json[]) out[t].set(row.id as string, row);
        for (const id of b.deletes?.[t] ?? []) out[t].delete(id);
      }
    }
  }
}

/** Every resource of a type on the server, through plain paged searches (the test's own view of the truth). */
export async function serverResources(url: string, type: string): Promise<Json[]> {
  const client = createFhirClient({ baseUrl: url, label: 't', test: true });
  const out: Json[] = [];
  let next: string | undefined = `${type}?_count=1000`;
  while (next) {
    const b = (await client.request('GET', next)).json as Json;
    for (const e of (b.entry ?? []) as Json[]) out.push(e.resource as Json);
    next = ((b.link ?? []) as Json[]).find((l) => l.relation === 'next')?.url as string | undefined;
  }
  client.close();
  return out;
}

export function patientOf(r: Json): string {
  return String((r.subject ?? r.patient)?.reference ?? '').replace('Patient/', '');
}

import { expect } from 'vitest';

/** A stay created on the server (what the hospital's admission system would write): in-progress, or ended at `end`. */
export async function admit(url: string, patientId: string, unit: string, start: string, end?: string): Promise<Json> {
  const client = createFhirClient({ baseUrl: url, label: 't', test: true });
  const res = await client.request('POST', 'Encounter', {
    body: {
      resourceType: 'Encounter',
      status: end ? 'finished' : 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patientId}` },
      period: { start, ...(end ? { end } : {}) },
      serviceProvider: { display: unit },
    },
  });
  client.close();
  return res.json as Json;
}
