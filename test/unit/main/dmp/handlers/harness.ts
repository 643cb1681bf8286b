import { DEMO_ACCOUNTS } from '../../../../../src/main/auth/demo';
import type { DmpRuntime } from '../../../../../src/main/dmp/runtime';
import type { SessionManager } from '../../../../../src/main/session/sessions';
import type { MethodName } from '../../../../../src/shared/bridge/contract';
import type { DmpIdentity } from '../../../../../src/shared/bridge/methods-dmp';
import type { CareIndex } from '../../../../../src/main/care/index';
import type { Result } from '../../../../../src/shared/bridge/result';
import type { Role } from '../../../../../src/shared/bridge/roles';
import { DEMO_DMP_PATIENTS } from '../../../../../src/shared/demo/dmp-patients';
import { admit } from '../../../../support/care';
import { createTestHost, type TestHost } from '../../../../support/host';

export interface DmpHarness {
  host: TestHost['host'];
  runtime: DmpRuntime;
  sessions: SessionManager;
  audit: TestHost['audit'];
  /** Signs a demo account in on a renderer id, through the bridge. */
  login(clientId: string, role: Role): Promise<void>;
  /** One bridge call as main serves it: the host's own dispatcher, authorizer and handlers. */
  call(clientId: string, method: MethodName, input: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}

export const demoAccount = (role: Role) => DEMO_ACCOUNTS.find((x) => x.role === role)!;

/** A real host (demo data dir, embedded test DMP) whose DMP methods are called through its dispatcher. */
export async function startDmpHarness(opts: { regulation?: boolean } = {}): Promise<DmpHarness> {
  const t = await createTestHost(opts.regulation ? { config: { regulation: true } } : {});
  const call = (clientId: string, method: MethodName, input: unknown) => t.host.dispatch(method, input, { clientId, transport: 'http' });
  return {
    host: t.host,
    runtime: t.host.dmp,
    sessions: t.host.sessions,
    audit: t.audit,
    async login(clientId, role) {
      const a = demoAccount(role);
      expectOk(await call(clientId, 'session.login', { userId: a.id, password: a.password }));
    },
    call,
    close: () => t.close(),
  };
}

export const byScenario = (s: (typeof DEMO_DMP_PATIENTS)[number]['scenario']) => DEMO_DMP_PATIENTS.find((p) => p.scenario === s)!;

/** The "NIR@OID" INS of a demo DMP patient (test OID), as main's index and the journal hold it. */
export const demoIns = (s: Parameters<typeof byScenario>[0]) => `${byScenario(s).ins}@1.2.250.1.213.1.4.10`;

/**
 * A demo DMP patient as main's care index holds them (INS only for a qualified identity, a current
 * stay in `unit`), and what the panel sends: the id and the identity traits.
 */
export function demoPatient(index: { careIndex: CareIndex }, s: Parameters<typeof byScenario>[0], unit = 'Cardiologie', status: DmpIdentity['status'] = 'QUAL') {
  const p = byScenario(s);
  const ins = status === 'QUAL' ? demoIns(s) : undefined;
  const patient = admit(index.careIndex, { id: `pat-${p.birthFamilyName.toLowerCase()}-${unit}-${status}`, ipp: `IPP-${p.ins.slice(0, 6)}`, unit, ...(ins ? { ins } : {}) });
  const identity: DmpIdentity = { status, birthFamilyName: p.birthFamilyName, givenNames: p.givenNames, birthDate: p.birthDate, sex: p.sex };
  return { patient, identity };
}

export function expectOk<T = unknown>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`échec inattendu ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
