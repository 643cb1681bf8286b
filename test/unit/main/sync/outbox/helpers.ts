import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHospitalTestServer, type HospitalTestServer } from '../../../../../src/main/hospital/test-server';
import { systemClock } from '../../../../../src/main/host/clock';
import { createMemoryLogger } from '../../../../../src/main/host/logger';
import { openOutbox, type Outbox } from '../../../../../src/main/sync/outbox/outbox';
import { createFhirTransport } from '../../../../../src/main/sync/outbox/transport';
import { openReplicaStore, type ReplicaStore } from '../../../../../src/main/sync/replica/store';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dirs: string[] = [];
export function freshDir(prefix = 'outbox-test-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function removeDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function startServer(dataDir = freshDir('hospital-')): Promise<HospitalTestServer> {
  return startHospitalTestServer({ dataDir, seed: { patients: 5, seed: 11, fullContentPatients: 5 } });
}

export async function get(server: HospitalTestServer, rel: string): Promise<{ status: number; json: Json }> {
  const res = await fetch(server.url + rel);
  return { status: res.status, json: (await res.json()) as Json };
}

/** How many resources of a type carry the client identifier `urn:uuid:<id>` on the server. */
export async function copiesOf(server: HospitalTestServer, type: string, uuid: string): Promise<number> {
  const q = encodeURIComponent(`urn:ietf:rfc:3986|urn:uuid:${uuid}`);
  return (await get(server, `/${type}?identifier=${q}&_total=accurate`)).json.entry?.length ?? 0;
}

export interface Workstation {
  dir: string;
  replica: ReplicaStore;
  outbox: Outbox;
  close(): Promise<void>;
}

/** A workstation's replica and outbox on a data dir, pushing to the server (short timeout for the hang tests). */
export async function workstation(server: HospitalTestServer | { url: string }, dir = freshDir(), timeoutMs = 2000): Promise<Workstation> {
  const replica = await openReplicaStore(path.join(dir, 'replica'));
  const outbox = await openOutbox({
    dir: path.join(dir, 'outbox'),
    transport: createFhirTransport({ baseUrl: server.url, label: 'test', test: true }, { timeoutMs }),
    replica,
    clock: systemClock,
    logger: createMemoryLogger(),
    backoff: { baseMs: 1, maxMs: 1 },
  });
  return {
    dir,
    replica,
    outbox,
    async close() {
      await outbox.stop();
      await replica.close();
    },
  };
}
