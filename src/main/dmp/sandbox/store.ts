import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../../fs/atomic-write';
import type { AuthorizationStatus } from '../types';
import type { EntryMetadata } from '../xds';

export interface SandboxPatient {
  ins: string;
  given?: string;
  family?: string;
  birthDate?: string;
  sex?: string;
  /** Professional id (VIHF NameID) → status; absent means NON_EXISTE. */
  authorizations: Record<string, Exclude<AuthorizationStatus, 'NON_EXISTE'>>;
  oppositions: { brisDeGlace: boolean; centre15: boolean };
}

export interface StoredEntry {
  meta: EntryMetadata;
  /** Identifiant_Structure of the feeder: it still sees its own masked documents. */
  authorStructure: string;
  contentFile: string;
}

export interface StoredAssociation {
  id: string;
  type: string;
  source: string;
  target: string;
}

interface State {
  patients: Record<string, SandboxPatient>;
  entries: StoredEntry[];
  associations: StoredAssociation[];
  /** Superseded versions written by older sandboxes; ITI-57 versions now stay in `entries`, deprecated. */
  history: StoredEntry[];
}

/** The sandbox's persistent registry + repository (JSON + content files in its data dir). */
export function openStore(dataDir: string) {
  mkdirSync(path.join(dataDir, 'repository'), { recursive: true, mode: 0o700 });
  const registryFile = path.join(dataDir, 'registry.json');
  const state: State = existsSync(registryFile)
    ? (JSON.parse(readFileSync(registryFile, 'utf8')) as State)
    : { patients: {}, entries: [], associations: [], history: [] };
  state.history ??= [];

  const save = (): void => writeFileAtomicSync(registryFile, JSON.stringify(state));
  const contentPath = (file: string): string => path.join(dataDir, 'repository', file);

  return {
    state,
    save,
    patient(ins: string): SandboxPatient | undefined {
      return state.patients[ins];
    },
    upsertPatient(p: Partial<SandboxPatient> & { ins: string }): SandboxPatient {
      const cur = state.patients[p.ins] ?? { ins: p.ins, authorizations: {}, oppositions: { brisDeGlace: false, centre15: false } };
      const next: SandboxPatient = { ...cur, ...p, authorizations: { ...cur.authorizations, ...(p.authorizations ?? {}) }, oppositions: { ...cur.oppositions, ...(p.oppositions ?? {}) } };
      state.patients[p.ins] = next;
      save();
      return next;
    },
    /** Content first, registry second: the registry never points at missing bytes. */
    addEntry(meta: EntryMetadata, content: Buffer, authorStructure: string, associations: StoredAssociation[] = []): StoredEntry {
      const contentFile = `${createHash('sha256').update(meta.uniqueId).digest('hex')}.bin`;
      writeFileAtomicSync(contentPath(contentFile), content);
      const entry: StoredEntry = { meta, authorStructure, contentFile };
      state.entries.push(entry);
      state.associations.push(...associations);
      save();
      return entry;
    },
    content(entry: StoredEntry): Buffer {
      return readFileSync(contentPath(entry.contentFile));
    },
    /** The document's current version (ITI-57 keeps older metadata versions, same uniqueId). */
    byUniqueId(uniqueId: string): StoredEntry | undefined {
      let best: StoredEntry | undefined;
      for (const e of state.entries) {
        if (e.meta.uniqueId !== uniqueId) continue;
        if (!best || Number(e.meta.version ?? '1') > Number(best.meta.version ?? '1')) best = e;
      }
      return best;
    },
    byEntryUUID(id: string): StoredEntry | undefined {
      return state.entries.find((e) => e.meta.entryUUID === id);
    },
  };
}

export type SandboxStore = ReturnType<typeof openStore>;
