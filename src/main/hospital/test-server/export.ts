import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import type { HospitalRepository } from './repository';

/** What a kick-off asked for, already validated. */
export interface ExportRequest {
  level: 'system' | 'patient';
  /** Resource types to export; undefined: every type (of the Patient compartment at patient level). */
  types?: string[];
  /** Normalised instant (toISOString form): resources whose lastUpdated is at or after it. */
  since?: string;
  /** Patient ids (POST Parameters `patient`), patient level only. */
  patients?: string[];
  /** The kick-off URL, echoed in the manifest's `request`. */
  requestUrl: string;
}

export interface ExportOutput {
  type: string;
  name: string;
  count: number;
}

export interface ExportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  transactionTime: string;
  request: ExportRequest;
  output: ExportOutput[];
  /** Resources written so far (X-Progress). */
  done: number;
  error?: string;
}

export interface Exporter {
  kickOff(request: ExportRequest): ExportJob;
  job(id: string): ExportJob | undefined;
  /** Path of an output file of a finished job, or undefined. */
  file(id: string, name: string): string | undefined;
  cancel(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Resources per NDJSON file (clients fetch files in parallel) and per slice between event-loop turns. */
const PER_FILE = 100_000;
const PER_SLICE = 5_000;

/** The patient a resource belongs to (its Patient compartment link), or undefined. */
function patientOf(r: Resource): string | undefined {
  if (r.resourceType === 'Patient') return r.id;
  const any = r as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = any.subject?.reference ?? any.patient?.reference;
  return ref?.startsWith('Patient/') ? ref.slice('Patient/'.length) : undefined;
}

function matcher(request: ExportRequest): (r: Resource) => boolean {
  const since = request.since;
  const patients = request.patients ? new Set(request.patients) : undefined;
  const compartment = request.level === 'patient';
  return (r) => {
    if (since !== undefined && (r.meta?.lastUpdated ?? '') < since) return false;
    if (!compartment) return true;
    const p = patientOf(r);
    return p !== undefined && (!patients || patients.has(p));
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Bulk Data export over the repository's own maps: one pass per type, no search (no clone, no FHIRPath,
 * no sort), NDJSON files in `dir` (0700/0600), written in slices so the server keeps answering.
 * `onBusy` receives the milliseconds each slice took (the server's own time).
 */
export function createExporter(opts: { repo: HospitalRepository; dir: string; onBusy: (ms: number) => void }): Exporter {
  const jobs = new Map<string, ExportJob>();
  const cancelled = new Set<string>();

  async function writeType(job: ExportJob, jobDir: string, type: string, keep: (r: Resource) => boolean): Promise<void> {
    let lines: string[] = [];
    let file: fs.FileHandle | null = null;
    let out: ExportOutput | null = null;
    let inFile = 0;
    let started = performance.now();
    const flush = async (): Promise<void> => {
      if (!lines.length) return;
      if (!file || inFile >= PER_FILE) {
        await file?.close();
        out = { type, name: `${type}-${job.output.filter((o) => o.type === type).length + 1}.ndjson`, count: 0 };
        file = await fs.open(path.join(jobDir, out.name), 'wx', 0o600);
        job.output.push(out);
        inFile = 0;
      }
      await file.write(lines.join('\n') + '\n');
      out!.count += lines.length;
      inFile += lines.length;
      job.done += lines.length;
      lines = [];
    };
    try {
      for (const r of opts.repo.scan(type)) {
        if (!keep(r)) continue;
        lines.push(JSON.stringify(r));
        if (lines.length >= PER_SLICE || inFile + lines.length >= PER_FILE) {
          await flush();
          opts.onBusy(performance.now() - started);
          await tick();
          if (cancelled.has(job.id)) return;
          started = performance.now();
        }
      }
      await flush();
      opts.onBusy(performance.now() - started);
    } finally {
      await (file as fs.FileHandle | null)?.close();
    }
  }

  async function run(job: ExportJob): Promise<void> {
    const jobDir = path.join(opts.dir, job.id);
    await fs.mkdir(jobDir, { recursive: true, mode: 0o700 });
    const types = job.request.types ?? opts.repo.types().sort();
    const keep = matcher(job.request);
    for (const type of types) {
      if (cancelled.has(job.id)) return;
      await writeType(job, jobDir, type, keep);
    }
    job.status = 'done';
  }

  return {
    kickOff(request) {
      const job: ExportJob = { id: randomUUID(), status: 'running', transactionTime: new Date().toISOString(), request, output: [], done: 0 };
      jobs.set(job.id, job);
      run(job).catch((e: Error) => {
        job.status = 'failed';
        job.error = e.message;
      });
      return job;
    },
    job: (id) => jobs.get(id),
    file(id, name) {
      const job = jobs.get(id);
      if (job?.status !== 'done' || !job.output.some((o) => o.name === name)) return undefined;
      return path.join(opts.dir, id, name);
    },
    async cancel(id) {
      if (!jobs.has(id)) return false;
      cancelled.add(id);
      jobs.delete(id);
      await fs.rm(path.join(opts.dir, id), { recursive: true, force: true });
      return true;
    },
    async close() {
      for (const id of jobs.keys()) cancelled.add(id);
      jobs.clear();
    },
  };
}
