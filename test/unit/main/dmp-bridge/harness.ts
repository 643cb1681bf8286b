import { rmSync } from 'node:fs';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { loadPki } from '../../../../src/main/auth/pki/pki';
import { openUserDirectory } from '../../../../src/main/auth/user-directory';
import { createDmpHandlers, createDmpRuntime, DEMO_DMP_PATIENTS, type DmpHandlers, type DmpRuntime } from '../../../../src/main/dmp-bridge';
import { createMemoryAuditPort } from '../../../../src/main/host/audit-port';
import { createTestClock } from '../../../../src/main/host/clock';
import type { CallContext } from '../../../../src/main/host/handlers';
import { createMemoryLogger } from '../../../../src/main/host/logger';
import { createSessionManager, type SessionManager } from '../../../../src/main/session/sessions';
import { judge, patientScopeFact } from '../../../../src/shared/authz/matrix';
import { dmpMethods, type DmpIdentity } from '../../../../src/shared/bridge/methods-dmp';
import type { PatientRef } from '../../../../src/shared/bridge/patient-ref';
import { BridgeFailure, fail, ok, type Result } from '../../../../src/shared/bridge/result';
import type { Role } from '../../../../src/shared/bridge/roles';
import { freshDataDir } from '../../../support/host';

type M = keyof typeof dmpMethods;

export interface DmpHarness {
  runtime: DmpRuntime;
  sessions: SessionManager;
  audit: ReturnType<typeof createMemoryAuditPort>;
  handlers: DmpHandlers;
  clock: ReturnType<typeof createTestClock>;
  /** Signs a demo account in on a renderer id. */
  login(clientId: string, role: Role): Promise<void>;
  /**
   * One bridge call as main serves it: input schema, the contract's roles and unit
   * scope (the authorizer's rule), the handler, the output schema.
   */
  call<K extends M>(clientId: string, method: K, input: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}

export async function startDmpHarness(opts: { regulation?: boolean } = {}): Promise<DmpHarness> {
  const dataDir = await freshDataDir('demo');
  const pki = await loadPki(dataDir);
  const clock = createTestClock(new Date());
  const audit = createMemoryAuditPort();
  const directory = await openUserDirectory(dataDir, { now: () => clock.now() });
  const sessions = createSessionManager({ directory, audit, clock, lockAfterMs: 5 * 60_000, caCertPem: () => pki.caCertPem, demo: true });
  const runtime = createDmpRuntime({ dataDir, pki, clock, audit, logger: createMemoryLogger(), ...(opts.regulation ? { regulation: true } : {}) });
  sessions.onSessionEnd((clientId) => runtime.onSessionEnd(clientId));
  const handlers = createDmpHandlers({ runtime, sessions, audit });
  return {
    runtime,
    sessions,
    audit,
    handlers,
    clock,
    async login(clientId, role) {
      const a = DEMO_ACCOUNTS.find((x) => x.role === role)!;
      await sessions.login(clientId, a.id, a.password);
    },
    async call(clientId, method, rawInput) {
      const spec = dmpMethods[method];
      const parsed = spec.input.safeParse(rawInput);
      if (!parsed.success) return fail('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'invalide');
      const session = await sessions.current(clientId);
      if (!session) return fail('UNAUTHENTICATED', 'Veuillez vous identifier.');
      if (session.locked) return fail('LOCKED', 'Session verrouillée.');
      const patient = (parsed.data as { patient: PatientRef }).patient;
      const decision = judge(spec.access, session.user.role, spec.scope, patientScopeFact(session.user.units, patient.units, !!sessions.breakGlassFor(session, patient.id)));
      if (!decision.allow) return fail('FORBIDDEN', decision.reason);
      try {
        const handler = handlers[method] as (i: unknown, c: CallContext) => Promise<unknown>;
        const value = await handler(parsed.data, { clientId, transport: 'http' });
        return ok(spec.output.parse(value));
      } catch (err) {
        if (err instanceof BridgeFailure) return fail(err.code, err.message);
        throw err;
      }
    },
    async close() {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const byScenario = (s: (typeof DEMO_DMP_PATIENTS)[number]['scenario']) => DEMO_DMP_PATIENTS.find((p) => p.scenario === s)!;

/** The bridge's patient reference and identity of a demo DMP patient, in a given unit. */
export function demoPatient(s: Parameters<typeof byScenario>[0], unit = 'Cardiologie', status: DmpIdentity['status'] = 'QUAL') {
  const p = byScenario(s);
  const patient: PatientRef = { id: `pat-${p.birthFamilyName.toLowerCase()}`, ipp: `IPP-${p.ins.slice(0, 6)}`, units: [unit], ...(status === 'QUAL' ? { ins: `${p.ins}@1.2.250.1.213.1.4.10` } : {}) };
  const identity: DmpIdentity = { status, birthFamilyName: p.birthFamilyName, givenNames: p.givenNames, birthDate: p.birthDate, sex: p.sex };
  return { patient, identity };
}

export function expectOk<T = unknown>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`échec inattendu ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
