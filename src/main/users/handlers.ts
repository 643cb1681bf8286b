import { BridgeFailure } from '../../shared/bridge/result';
import type { UserRowView } from '../../shared/bridge/methods-users';
import { isAuthError } from '../auth/errors';
import type { User, UserDirectory } from '../auth/user-directory';
import type { AuditPort } from '../host/audit-port';
import type { HandlerSlice, SignedInCall } from '../host/handlers';

const row = (u: User): UserRowView => ({
  id: u.id,
  displayName: u.displayName,
  role: u.role,
  units: u.units,
  ...(u.rpps ? { rpps: u.rpps } : {}),
  disabled: u.disabled,
  hasCertificate: !!u.certificate,
});

/** Directory administration; every change is journalled under the admin's name. */
export function createUsersHandlers(directory: UserDirectory, audit: AuditPort): HandlerSlice<'users'> {
  async function change<T>({ caller }: SignedInCall, type: string, targetId: string, run: () => Promise<T>): Promise<T> {
    const entity = { type: 'Practitioner', id: targetId };
    try {
      const value = await run();
      await audit.record({ type, action: type === 'users.create' ? 'C' : 'U', outcome: 'success', agent: caller.agent, entity });
      return value;
    } catch (err) {
      await audit.record({ type, action: 'U', outcome: 'failure', agent: caller.agent, entity });
      if (isAuthError(err)) throw new BridgeFailure(err.code === 'user_exists' ? 'CONFLICT' : err.code === 'user_unknown' ? 'NOT_FOUND' : 'INVALID_INPUT', err.message);
      throw err;
    }
  }
  return {
    'users.list': async () => directory.list().map(row),
    'users.add': async (input, call) =>
      change(call, 'users.create', input.id, async () =>
        row(await directory.add({ id: input.id, displayName: input.displayName, role: input.role, units: input.units, password: input.password, ...(input.rpps ? { rpps: input.rpps } : {}) })),
      ),
    'users.disable': async ({ id }, call) => change(call, 'users.disable', id, async () => row(await directory.disable(id))),
    'users.enable': async ({ id }, call) => change(call, 'users.enable', id, async () => row(await directory.enable(id))),
    'users.resetPassword': async ({ id, password }, call) =>
      change(call, 'users.password.reset', id, async () => {
        await directory.resetPassword(id, password);
        return { done: true as const };
      }),
  };
}
