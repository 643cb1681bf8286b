import type { Logger } from '../host/logger';
import { bulkExport, nextLink, searchPage, type FhirBundle } from './bulk';
import type { CareIndexPort } from './care-port';
import type { FhirClient } from './client';
import { CONTENT_TYPES, createBatch, type BatchBuilder } from './ingest';
import type { BatchMeta, ReplicaStore } from './replica/store';

/** Rows (or resources, for care-only batches) per change-log batch: bounded memory, bounded renderer transactions. */
export const BATCH_ROWS = 2000;
/** Resources per incremental search page. */
export const PAGE_SIZE = 500;

export interface PullContext {
  client: FhirClient;
  replica: ReplicaStore;
  care: CareIndexPort;
  logger: Logger;
  now: () => Date;
  progress: (p: { phase: string; done: number; total: number | null }) => void;
  stopped: () => boolean;
}

export class Stopped extends Error {}

export function newBatch(ctx: PullContext): BatchBuilder {
  return createBatch({
    care: ctx.care,
    now: () => ctx.now().getTime(),
    // The reason is French and names no patient data; the resource id identifies what to fix on the server.
    onReject: (type, id, reason) => ctx.logger.warn('resource refused by the replica', { type, id, reason }),
  });
}

async function flush(ctx: PullContext, batch: BatchBuilder, extra: Omit<BatchMeta, 'versions' | 'care'> = {}): Promise<void> {
  const { batch: b, meta } = batch.take(extra);
  await ctx.replica.append(b, meta);
}

/** Streams the files of an export manifest (types in `order` first) through a batch, appending every BATCH_ROWS resources. */
async function ingestExport(ctx: PullContext, manifestOutput: { type: string; url: string; count?: number }[], order: readonly string[], content: (patientId: string) => boolean, phase: string): Promise<BatchBuilder> {
  const files = [...manifestOutput].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  const total = files.every((f) => typeof f.count === 'number') ? files.reduce((n, f) => n + (f.count ?? 0), 0) : null;
  const batch = newBatch(ctx);
  let done = 0;
  let sinceFlush = 0;
  ctx.progress({ phase, done, total });
  for (const file of files) {
    await ctx.client.streamNdjson(file.url, async (resource) => {
      if (ctx.stopped()) throw new Stopped();
      batch.add(resource, content);
      done++;
      if (++sinceFlush >= BATCH_ROWS) {
        sinceFlush = 0;
        await flush(ctx, batch);
        ctx.progress({ phase, done, total });
      }
    });
  }
  ctx.progress({ phase, done, total });
  return batch;
}

/**
 * First replica, step 1: every Patient and Encounter of the hospital by Bulk export. Encounters first, so the care
 * index knows each patient's units when its identity row is written; their rows stay in main (care index only).
 */
export async function pullIdentities(ctx: PullContext): Promise<void> {
  const manifest = await bulkExport(ctx.client, { level: 'system', types: ['Patient', 'Encounter'] }, (p) => ctx.progress({ phase: `Export des identités : ${p}`, done: 0, total: null }));
  const batch = await ingestExport(ctx, manifest.output, ['Encounter', 'Patient'], () => false, 'Identités des patients');
  const t = manifest.transactionTime;
  await flush(ctx, batch, { cursors: { 'first:identities': t, Patient: t, Encounter: t } });
}

/** The full clinical content of these patients, by Patient-level Bulk export; marks them held. */
export async function pullContentByExport(ctx: PullContext, patients: string[], phase: string, extraCursors: (t: string) => Record<string, string> = () => ({})): Promise<void> {
  if (!patients.length) return;
  const wanted = new Set(patients);
  const manifest = await bulkExport(ctx.client, { level: 'patient', types: [...CONTENT_TYPES], patients }, (p) => ctx.progress({ phase: `${phase} : ${p}`, done: 0, total: null }));
  const batch = await ingestExport(ctx, manifest.output, CONTENT_TYPES, (pid) => wanted.has(pid), phase);
  await flush(ctx, batch, { held: { add: patients }, cursors: extraCursors(manifest.transactionTime) });
}

/** The clinical content of a few patients by plain searches (break-glass on demand, a patient entering care). */
export async function pullContentBySearch(ctx: PullContext, patients: string[]): Promise<void> {
  for (const patientId of patients) {
    const batch = newBatch(ctx);
    for (const type of CONTENT_TYPES) {
      const param = type === 'AllergyIntolerance' || type === 'Encounter' ? 'patient' : 'subject';
      let url: string | undefined = `${type}?${param}=Patient/${encodeURIComponent(patientId)}&_count=${PAGE_SIZE}`;
      while (url) {
        const page: FhirBundle = await searchPage(ctx.client, url);
        for (const e of page.entry ?? []) if (e.resource) batch.add(e.resource, (pid) => pid === patientId);
        url = nextLink(page);
      }
    }
    await flush(ctx, batch, { held: { add: [patientId] } });
  }
}

function lastUpdatedOf(resource: Record<string, unknown>): string | undefined {
  const v = (resource.meta as { lastUpdated?: unknown } | undefined)?.lastUpdated;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Incremental pull of one resource type from its persisted cursor: `_lastUpdated=ge<cursor>` sorted, one batch per
 * page with the cursor it reaches (durable together). Each page restarts from the cursor rather than following an
 * offset link, so an update between two pages cannot make a resource slip past unseen; only a run of one instant
 * longer than a page follows `next`. The overlap of that instant and idempotent rows make re-reads harmless.
 */
export async function pullType(ctx: PullContext, type: string, content: (patientId: string) => boolean, onPatients?: (batch: BatchBuilder, patientIds: Set<string>) => Promise<void>): Promise<number> {
  let cursor = ctx.replica.cursor(type);
  let received = 0;
  for (;;) {
    if (ctx.stopped()) throw new Stopped();
    const q = `${type}?_sort=_lastUpdated&_count=${PAGE_SIZE}${cursor ? `&_lastUpdated=ge${encodeURIComponent(cursor)}` : ''}`;
    let page = await searchPage(ctx.client, q);
    const batch = newBatch(ctx);
    const touched = new Set<string>();
    let max = cursor;
    let full: boolean;
    for (;;) {
      const entries = (page.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
      for (const r of entries) {
        const pid = batch.add(r, content);
        if (pid) touched.add(pid);
        const lu = lastUpdatedOf(r);
        if (lu && (!max || lu > max)) max = lu;
      }
      received += entries.length;
      full = entries.length >= PAGE_SIZE;
      const next = nextLink(page);
      // A whole page at the cursor's instant: the only way forward is the server's next link.
      if (!full || max !== cursor || !next) break;
      page = await searchPage(ctx.client, next);
    }
    if (onPatients && touched.size) await onPatients(batch, touched);
    if (batch.size() || max !== cursor) await flush(ctx, batch, max ? { cursors: { [type]: max } } : {});
    if (!full || max === cursor) return received;
    cursor = max;
  }
}
