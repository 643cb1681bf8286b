import path from 'node:path';
import { startHospitalTestServer, type HospitalTestServer, type SeedRequest } from './index';

/** What the sync engine needs to reach the hospital (the shape of HospitalConnection in src/main/sync/config.ts). */
export interface EmbeddedHospitalConnection {
  baseUrl: string;
  label: string;
  test: boolean;
}

export interface EmbeddedHospital {
  connection: EmbeddedHospitalConnection;
  server: HospitalTestServer;
  close(): Promise<void>;
}

/** The demo hospital: a thousand patients (stays current as of today), content for all of them. */
export const DEFAULT_EMBEDDED_SEED: SeedRequest = { patients: 1000, seed: 1 };

/**
 * The "Serveur hospitalier de test" a workstation gets when no hospital is configured: the test
 * server on loopback, its record in `<dataDir>/hospital-test-server`, seeded on its first start.
 * Only composition roots and test harnesses import this module.
 */
export async function embeddedHospitalTestServer(dataDir: string, opts: { seed?: SeedRequest | null; port?: number } = {}): Promise<EmbeddedHospital> {
  const seed = opts.seed === undefined ? DEFAULT_EMBEDDED_SEED : opts.seed;
  const server = await startHospitalTestServer({
    dataDir: path.join(dataDir, 'hospital-test-server'),
    ...(seed ? { seed } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  return { connection: { baseUrl: server.url, label: 'Serveur hospitalier de test', test: true }, server, close: () => server.close() };
}
