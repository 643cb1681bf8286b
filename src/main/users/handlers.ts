import { readFile } from 'node:fs/promises';
import { BridgeFailure } from '../../shared/bridge/result';
import type { UserRowView } from '../../shared/bridge/methods-users';
import { isAuthError } from '../auth/errors';
import { enrollUserCertificate, revokeUserCertificate } from '../auth/pki/enroll';
import type { User, UserDirectory } from '../auth/user-directory';
import type { AuditPort } from '../host/audit-port';
import type { HandlerSlice, SignedInCall } from '../host/handlers';

type Detail = Record<string, string | number | boolean>;

/** Directory administration; every change is journalled under the admin's name, refusals included. */
export function createUsersHandlers(directory: UserDirectory, audit: AuditPort, dataDir: string): HandlerSlice<'users'> {
  const row = (u: User): UserRowView => ({
    id: u.id,
    displayName: u.displayName,
    role: u.role,
    units: u.units,
    ...(u.rpps ? { rpps: u.rpps } : {}),
    disabled: u.disabled,
    hasCertificate: !!u.certificate,
    locked: directory.isLocked(u.id),
    revokedCertificates: u.revokedFingerprints.length,
  });
  const current = (id: string): User => {
    const u = directory.get(id);
    if (!u) throw new BridgeFailure('NOT_FOUND', `Utilisateur inconnu « ${id} ».`);
    return u;
  };

  async function change<T>({ caller }: SignedInCall, type: string, targetId: string, run: () => Promise<{ value: T; detail?: Detail }>): Promise<T> {
    const entity = { type: 'Practitioner', id: targetId };
    try {
      const { value, detail } = await run();
      await audit.record({ type, action: type === 'users.create' ? 'C' : 'U', outcome: 'success', agent: caller.agent, entity, ...(detail ? { detail } : {}) });
      return value;
    } catch (err) {
      await audit.record({ type, action: 'U', outcome: 'failure', agent: caller.agent, entity, detail: { reason: isAuthError(err) ? err.code : err instanceof BridgeFailure ? err.code : 'internal' } });
      if (isAuthError(err)) throw new BridgeFailure(err.code === 'user_exists' ? 'CONFLICT' : err.code === 'user_unknown' ? 'NOT_FOUND' : 'INVALID_INPUT', err.message);
      throw err;
    }
  }
  const just = async <T>(value: Promise<T>) => ({ value: await value });

  return {
    'users.list': async () => directory.list().map(row),
    'users.add': async (input, call) =>
      change(call, 'users.create', input.id, () =>
        just(directory.add({ id: input.id, displayName: input.displayName, role: input.role, units: input.units, password: input.password, ...(input.rpps ? { rpps: input.rpps } : {}) }).then(row)),
      ),
    'users.disable': async ({ id }, call) => {
      if (id === call.caller.user.id) throw new BridgeFailure('INVALID_INPUT', 'Vous ne pouvez pas désactiver votre propre compte.');
      return change(call, 'users.disable', id, () => just(directory.disable(id).then(row)));
    },
    'users.enable': async ({ id }, call) => change(call, 'users.enable', id, () => just(directory.enable(id).then(row))),
    'users.resetPassword': async ({ id, password }, call) =>
      change(call, 'users.password.reset', id, async () => {
        await directory.resetPassword(id, password);
        return { value: { done: true as const } };
      }),
    'users.assign': async ({ id, role, units, rpps }, call) =>
      change(call, 'users.update', id, async () => {
        const before = current(id);
        const u = await directory.assign(id, { role, units, ...(rpps ? { rpps } : {}) });
        return { value: row(u), detail: { roleBefore: before.role, role: u.role, units: u.units.join(', ').slice(0, 500) } };
      }),
    'users.unlock': async ({ id }, call) =>
      change(call, 'users.unlock', id, async () => {
        const u = current(id);
        const wasLocked = directory.isLocked(id);
        directory.unlock(id);
        return { value: row(u), detail: { wasLocked } };
      }),
    'users.issueCertificate': async ({ id, pin }, call) =>
      change(call, 'users.certificate.issue', id, async () => {
        const r = await enrollUserCertificate(dataDir, directory, id, pin);
        const p12 = await readFile(r.p12Path);
        return { value: { user: row(r.user), fileName: `${r.user.id}.p12`, p12Base64: p12.toString('base64') }, detail: { fingerprint: r.fingerprint } };
      }),
    'users.revokeCertificate': async ({ id }, call) =>
      change(call, 'users.certificate.revoke', id, async () => {
        const r = await revokeUserCertificate(dataDir, directory, id);
        return { value: row(r.user), detail: { fingerprint: r.fingerprint } };
      }),
  };
}
