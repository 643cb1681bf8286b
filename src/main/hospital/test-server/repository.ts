import { MemoryRepository, type CreateResourceOptions, type DeleteResourceOptions } from '@medplum/fhir-router';
import type { SearchRequest } from '@medplum/core';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';

type WithId<T extends Resource> = T & { id: string };

/** One durable change: a new current version of a resource, or its deletion (its history stays). */
export type Change = { op: 'put'; resource: WithId<Resource> } | { op: 'delete'; type: string; id: string };

/**
 * MemoryRepository keeps its data in two private maps (current version and every version, by type
 * then id). The test server reads them directly to enumerate a type without search's per-call clone,
 * FHIRPath match and sort (what makes a 200,000-patient export take seconds), to bulk-load a seeded
 * population and to undo a failed transaction. The package is pinned (5.2.13); tests cover each use.
 */
interface Internals {
  resources: Map<string, Map<string, Resource>>;
  history: Map<string, Map<string, Resource[]>>;
}

interface Undo {
  type: string;
  id: string;
  previous: Resource | undefined;
  historyLength: number;
}

/**
 * The hospital's record: Medplum's MemoryRepository plus what a server around it needs: every
 * change reported for the append log, transactions that really roll back (MemoryRepository runs the
 * callback without any), fast enumeration and bulk load.
 */
export class HospitalRepository extends MemoryRepository {
  private pending: Change[] = [];
  private undo: Undo[] | null = null;

  private get internals(): Internals {
    return this as unknown as Internals;
  }

  private current(type: string, id: string | undefined): Resource | undefined {
    return id === undefined ? undefined : this.internals.resources.get(type)?.get(id);
  }

  private versions(type: string, id: string): Resource[] | undefined {
    return this.internals.history.get(type)?.get(id);
  }

  /** Records a put made by MemoryRepository (its stored object) and how to undo it. */
  private recordPut(type: string, id: string, previous: Resource | undefined, historyLength: number): void {
    const stored = this.current(type, id) as WithId<Resource> | undefined;
    if (!stored) return;
    this.pending.push({ op: 'put', resource: stored });
    this.undo?.push({ type, id, previous, historyLength });
  }

  override async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions, update = false): Promise<WithId<T>> {
    const previous = this.current(resource.resourceType, resource.id);
    const historyLength = resource.id ? (this.versions(resource.resourceType, resource.id)?.length ?? 0) : 0;
    const result = await super.createResource(resource, options, update);
    this.recordPut(result.resourceType, result.id, previous, historyLength);
    return result;
  }

  override async conditionalCreate<T extends Resource>(resource: T, search: SearchRequest<T>, options?: CreateResourceOptions): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    const result = await super.conditionalCreate(resource, search, options);
    // Only a created resource is new; a match ("ok") changed nothing.
    if (result.outcome.id === 'created') this.recordPut(result.resource.resourceType, result.resource.id, undefined, 0);
    return result;
  }

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    const previous = this.current(resourceType, id);
    const historyLength = this.versions(resourceType, id)?.length ?? 0;
    await super.deleteResource(resourceType, id, options);
    this.pending.push({ op: 'delete', type: resourceType, id });
    this.undo?.push({ type: resourceType, id, previous, historyLength });
  }

  override expungeResources(): Promise<void> {
    return Promise.reject(new Error('expunge is not offered by the hospital test server'));
  }

  /** All-or-nothing: a throw restores every resource the callback touched, and drops its changes. */
  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.undo) return callback(this);
    const undo: Undo[] = [];
    const pendingBefore = this.pending.length;
    this.undo = undo;
    try {
      return await callback(this);
    } catch (e) {
      for (const u of undo.reverse()) this.restore(u);
      this.pending.length = pendingBefore;
      throw e;
    } finally {
      this.undo = null;
    }
  }

  private restore(u: Undo): void {
    const { resources, history } = this.internals;
    if (u.previous) resources.get(u.type)?.set(u.id, u.previous);
    else resources.get(u.type)?.delete(u.id);
    const versions = history.get(u.type)?.get(u.id);
    if (versions) {
      versions.length = u.historyLength;
      if (u.historyLength === 0) history.get(u.type)?.delete(u.id);
    }
  }

  /**
   * The sync engine's incremental pull (`_lastUpdated` bounds, sorted by `_lastUpdated`, paged) and plain
   * paging, answered from the map with string comparisons: MemoryRepository evaluates FHIRPath on every
   * resource and deep-clones every match before slicing the page (seconds per page at 200,000 patients).
   * Anything else goes to Medplum's general search.
   */
  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const bounds = lastUpdatedBounds(request);
    if (!bounds) return super.search(request);
    const matches: Resource[] = [];
    for (const r of this.scan(request.resourceType)) {
      const at = normalisedInstant(r.meta?.lastUpdated ?? '');
      if (bounds.every(([op, v]) => (op === 'gt' ? at > v : op === 'ge' ? at >= v : op === 'lt' ? at < v : at <= v))) matches.push(r);
    }
    const sort = request.sortRules?.[0];
    if (sort) {
      const dir = sort.descending ? -1 : 1;
      matches.sort((a, b) => dir * compare(normalisedInstant(a.meta?.lastUpdated ?? ''), normalisedInstant(b.meta?.lastUpdated ?? '')));
    }
    const offset = request.offset ?? 0;
    const page = matches.slice(offset, request.count === undefined ? undefined : offset + request.count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(page.length ? { entry: page.map((r) => ({ search: { mode: 'match' as const }, resource: JSON.parse(JSON.stringify(r)) as WithId<T> })) } : {}),
      total: matches.length,
    };
  }

  /** The changes made since the last call, in order; the server appends them to its log as one unit. */
  takeChanges(): Change[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Resource types that hold at least one current resource. */
  types(): string[] {
    return [...this.internals.resources].filter(([, m]) => m.size > 0).map(([t]) => t);
  }

  /** Current resources of a type, as stored: callers must not modify them (serialise, filter). */
  *scan(type: string): IterableIterator<Resource> {
    const map = this.internals.resources.get(type);
    if (map) yield* map.values();
  }

  count(type: string): number {
    return this.internals.resources.get(type)?.size ?? 0;
  }

  /** Every stored version, grouped by resource, oldest first, with whether the resource is deleted. */
  *allVersions(): IterableIterator<{ versions: readonly Resource[]; deleted: boolean }> {
    const { resources, history } = this.internals;
    for (const [type, byId] of history) {
      const current = resources.get(type);
      for (const [id, versions] of byId) yield { versions, deleted: !current?.has(id) };
    }
  }

  /**
   * Loads a version as stored elsewhere (snapshot, log, seed), keeping its id, versionId and
   * lastUpdated; idempotent (a version already held is skipped), so a log replayed twice is harmless.
   */
  loadVersion(resource: WithId<Resource>): void {
    const { resources, history } = this.internals;
    const { resourceType: type, id } = resource;
    let byId = history.get(type);
    if (!byId) history.set(type, (byId = new Map()));
    let versions = byId.get(id);
    if (!versions) byId.set(id, (versions = []));
    const vid = resource.meta?.versionId;
    if (versions.length && versions.some((v) => v.meta?.versionId === vid)) return;
    versions.push(resource);
    let current = resources.get(type);
    if (!current) resources.set(type, (current = new Map()));
    current.set(id, resource);
  }

  /** Replays a deletion: the current version goes, its history stays (as MemoryRepository deletes). */
  loadDelete(type: string, id: string): void {
    this.internals.resources.get(type)?.delete(id);
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** toISOString form, so instants compare as strings (what Medplum and the seeding store already are). */
function normalisedInstant(value: string): string {
  if (value.length === 24 && value.endsWith('Z')) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

/** The search's `_lastUpdated` bounds when it is only that (plus paging and a `_lastUpdated` sort); else null. */
function lastUpdatedBounds(request: SearchRequest): [string, string][] | null {
  if (request.include?.length || request.revInclude?.length || request.fields || request.summary || request.types || request.cursor) return null;
  const sorts = request.sortRules ?? [];
  if (sorts.length > 1 || (sorts[0] && sorts[0].code !== '_lastUpdated')) return null;
  const bounds: [string, string][] = [];
  for (const f of request.filters ?? []) {
    if (f.code !== '_lastUpdated' || !['gt', 'ge', 'lt', 'le'].includes(f.operator) || !ISO_INSTANT.test(f.value)) return null;
    bounds.push([f.operator, new Date(Date.parse(f.value)).toISOString()]);
  }
  return bounds;
}
