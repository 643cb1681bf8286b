import type { AuditPort } from '../../host/audit-port';
import type { HandlerSlice } from '../../host/handlers';
import type { DmpRuntime } from '../runtime';
import { createDmpAccessHandlers } from './access';
import { createDmpCallers } from './caller';
import { createDmpDocumentHandlers } from './documents';

export interface DmpHandlerDeps {
  runtime: DmpRuntime;
  audit: AuditPort;
}

/**
 * The DMP bridge methods: the authorizer has already checked role and unit scope;
 * here each call becomes a DmpCaller for the consent service, which enforces the
 * grants (TD0.2 VALIDE, TD0.3 after explicit consent, declared emergency access)
 * and journals every operation. DMP errors come back with their French message.
 */
export function createDmpHandlers({ runtime, audit }: DmpHandlerDeps): HandlerSlice<'dmp'> {
  const callers = createDmpCallers(runtime, audit);
  return {
    ...createDmpAccessHandlers(runtime, audit, callers),
    ...createDmpDocumentHandlers(runtime, audit, callers),
  };
}
