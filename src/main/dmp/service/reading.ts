import { DmpError } from '../errors';
import type { DmpDocumentEntry, DmpGateway, FindDocumentsQuery, RetrievedDocument } from '../types';
import type { AccessState } from './access-state';
import { requireGrant } from './authorisation';
import { requestContext, type DmpCaller } from './caller';
import type { RunJournalled } from './journal';

export interface ReadingDeps {
  gateway: DmpGateway;
  access: AccessState;
  run: RunJournalled;
}

export interface ReadingOperations {
  findDocuments(caller: DmpCaller, query?: FindDocumentsQuery): Promise<DmpDocumentEntry[]>;
  getDocuments(caller: DmpCaller, entryUUIDs: string[]): Promise<DmpDocumentEntry[]>;
  retrieve(caller: DmpCaller, ref: { repositoryUniqueId: string; uniqueId: string }): Promise<RetrievedDocument>;
}

/** Reading the DMP (ITI-18 queries, ITI-43 retrieval): each call needs the grant opened in this session. */
export function createReadingOperations(deps: ReadingDeps): ReadingOperations {
  const { gateway, access, run } = deps;

  return {
    findDocuments(caller, query) {
      return run(caller, {
        type: 'dmp.search',
        action: 'R',
        operation: 'ITI-18 FindDocuments',
        check: () => requireGrant(access, caller),
        exec: () => gateway.findDocuments(requestContext(caller), query),
        describe: (l) => ({ count: l.length }),
      });
    },

    getDocuments(caller, entryUUIDs) {
      return run(caller, {
        type: 'dmp.search',
        action: 'R',
        operation: 'ITI-18 GetDocuments',
        check: () => {
          requireGrant(access, caller);
          if (!Array.isArray(entryUUIDs) || !entryUUIDs.length || entryUUIDs.length > 500) throw new DmpError('DMP_INVALID_INPUT', 'Liste de documents à lire invalide.');
        },
        exec: () => gateway.getDocuments(requestContext(caller), entryUUIDs),
        describe: (l) => ({ count: l.length }),
      });
    },

    retrieve(caller, ref) {
      return run(caller, {
        type: 'dmp.retrieve',
        action: 'R',
        operation: 'ITI-43 RetrieveDocumentSet',
        check: () => {
          requireGrant(access, caller);
          if (!ref?.uniqueId || !ref.repositoryUniqueId) throw new DmpError('DMP_INVALID_INPUT', 'Référence du document à ouvrir incomplète.');
        },
        exec: () => gateway.retrieve(requestContext(caller), ref),
        describe: (d) => ({ size: d.content.length, mimeType: d.mimeType }),
        entity: { type: 'DocumentReference', id: ref?.uniqueId ?? '' },
      });
    },
  };
}
