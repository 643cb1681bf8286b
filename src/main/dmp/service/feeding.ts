import { DMP_ROLE_REFUSALS } from '../../../shared/authz/dmp-refusals';
import { DMP_SUBMITTER_ROLES, hasRole } from '../../../shared/authz/roles';
import { DmpError } from '../errors';
import type { DmpDocumentEntry, DmpGateway, SubmitOptions, SubmitResult, VisibilityUpdate } from '../types';
import type { AccessState } from './access-state';
import { requireGrant } from './authorisation';
import { requestContext, type DmpCaller } from './caller';
import type { RunJournalled } from './journal';

export interface FeedingDeps {
  gateway: DmpGateway;
  access: AccessState;
  run: RunJournalled;
}

export interface FeedingOperations {
  submit(caller: DmpCaller, cda: Buffer, options?: SubmitOptions): Promise<SubmitResult>;
  updateVisibility(caller: DmpCaller, update: VisibilityUpdate): Promise<DmpDocumentEntry>;
  archive(caller: DmpCaller, entryUUID: string): Promise<DmpDocumentEntry>;
  unarchive(caller: DmpCaller, entryUUID: string): Promise<DmpDocumentEntry>;
  deleteDocument(caller: DmpCaller, entryUUID: string): Promise<void>;
}

const documentEntity = (id: string | undefined) => ({ type: 'DocumentReference', id: id ?? '' });

/** Feeding the DMP (ITI-41) and changing what is already there (ITI-57 visibility and status). */
export function createFeedingOperations(deps: FeedingDeps): FeedingOperations {
  const { gateway, access, run } = deps;

  /** Archive, unarchive and delete differ only by the journal wording and the gateway call. */
  function changeStatus<T>(caller: DmpCaller, entryUUID: string, type: string, action: 'U' | 'D', operation: string, missing: string, exec: () => Promise<T>, describe: (v: T) => Record<string, string>): Promise<T> {
    return run(caller, {
      type,
      action,
      operation,
      check: () => {
        requireGrant(access, caller);
        if (!entryUUID) throw new DmpError('DMP_INVALID_INPUT', missing);
      },
      exec,
      describe,
      entity: documentEntity(entryUUID),
    });
  }

  return {
    submit(caller, cda, options) {
      return run(caller, {
        type: 'dmp.submit',
        action: 'C',
        operation: 'ITI-41 ProvideAndRegisterDocumentSet-b',
        check: () => {
          if (!hasRole(DMP_SUBMITTER_ROLES, caller.user.role)) throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.submits);
          if (caller.accessMode !== 'normal') throw new DmpError('DMP_INVALID_INPUT', "L'alimentation du DMP se fait en mode d'accès normal.");
          if (!Buffer.isBuffer(cda) || !cda.length) throw new DmpError('DMP_INVALID_INPUT', 'Document CDA à envoyer absent.');
        },
        exec: () => gateway.submit({ ...requestContext(caller) }, cda, options),
        describe: (r) => ({ uniqueId: r.uniqueId }),
      });
    },

    updateVisibility(caller, update) {
      return run(caller, {
        type: 'dmp.visibility',
        action: 'U',
        operation: 'ITI-57 UpdateDocumentSet',
        check: () => {
          requireGrant(access, caller);
          if (!update?.entryUUID) throw new DmpError('DMP_INVALID_INPUT', 'Document à modifier non précisé.');
        },
        exec: () => gateway.updateVisibility(requestContext(caller), update),
        describe: (e) => ({ visibility: e.visibility.join(',') || 'aucune' }),
        entity: documentEntity(update?.entryUUID),
      });
    },

    archive(caller, entryUUID) {
      return changeStatus(caller, entryUUID, 'dmp.archive', 'U', 'ITI-57 UpdateAvailabilityStatus (archivage)', 'Document à archiver non précisé.',
        () => gateway.archive(requestContext(caller), entryUUID), (e) => ({ status: e.availabilityStatus }));
    },

    unarchive(caller, entryUUID) {
      return changeStatus(caller, entryUUID, 'dmp.archive', 'U', 'ITI-57 UpdateAvailabilityStatus (désarchivage)', 'Document à désarchiver non précisé.',
        () => gateway.unarchive(requestContext(caller), entryUUID), (e) => ({ status: e.availabilityStatus }));
    },

    deleteDocument(caller, entryUUID) {
      return changeStatus(caller, entryUUID, 'dmp.delete', 'D', 'ITI-57 UpdateAvailabilityStatus (suppression)', 'Document à supprimer non précisé.',
        () => gateway.deleteDocument(requestContext(caller), entryUUID), () => ({ status: 'deleted' }));
    },
  };
}
