import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { BridgeFailure } from '../../shared/bridge/result';
import { exportJournal, verifyJournal, type Journal } from '../audit';
import { journalPath } from '../audit/files';
import type { AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { HandlerSlice } from '../host/handlers';
import { buildAccessReportPdf, PATIENT_FACING_TYPES } from './access-report';
import { createReviewHandlers } from './review-handlers';
import { fromPatientKey, patientFilter, toQueryPatient } from './patient-key';

interface VerifyJobState {
  jobId: string;
  state: 'running' | 'done' | 'failed';
  doneBytes: number;
  totalBytes: number;
  result?: { ok: boolean; entries: number; checkpoints: number; unsignedTail: number; firstBadSeq?: number; reason?: string };
  error?: string;
}

export interface DpoDeps {
  journal: Journal;
  certificatePem: string;
  audit: AuditPort;
  clock: Clock;
  workstationName: string;
  /** Main's data dir: the review of exceptional accesses is kept there. */
  dataDir: string;
}

const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

/** The DPO's tools over the signed journal; each use of them is itself journalled. */
export function createDpoHandlers(deps: DpoDeps): HandlerSlice<'audit'> {
  const jobs = new Map<string, VerifyJobState>();

  return {
    'audit.query': async (f, { caller }) => {
      const patients = patientFilter(f.patient, f.patients);
      const r = await deps.journal.query({
        ...(f.from ? { from: f.from } : {}),
        ...(f.to ? { to: f.to } : {}),
        ...(patients ? { patients } : {}),
        ...(f.userId ? { userId: f.userId } : {}),
        ...(f.user ? { userText: f.user } : {}),
        ...(f.type ? { type: f.type } : {}),
        ...(f.breakGlass ? { breakGlass: true } : {}),
        order: 'desc',
        offset: f.offset,
        limit: f.limit,
      });
      // Looking up one patient's accesses is itself an access to that patient.
      if (patients && f.offset === 0) {
        const searched = patients.map((p) => p.ipp ?? p.insNir).join(',').slice(0, 200);
        await deps.audit.record({ type: 'journal.query', action: 'R', outcome: 'success', agent: caller.agent, detail: { patient: searched, matches: r.total } });
      }
      return { entries: r.entries, total: r.total };
    },

    'audit.verifyStart': async (_i, { caller }) => {
      await deps.journal.checkpoint();
      const job: VerifyJobState = { jobId: randomUUID(), state: 'running', doneBytes: 0, totalBytes: statSync(journalPath(deps.journal.dir)).size };
      jobs.set(job.jobId, job);
      void verifyJournal(deps.journal.dir, {
        certificatePem: deps.certificatePem,
        allowUnsignedTail: true,
        onProgress: (done, total) => {
          job.doneBytes = done;
          job.totalBytes = total;
        },
      })
        .then(async (result) => {
          job.result = result;
          job.state = 'done';
          job.doneBytes = job.totalBytes;
          await deps.audit.record({
            type: 'journal.verify',
            action: 'E',
            outcome: result.ok ? 'success' : 'failure',
            agent: caller.agent,
            detail: { entries: result.entries, checkpoints: result.checkpoints, ...(result.firstBadSeq !== undefined ? { firstBadSeq: result.firstBadSeq } : {}) },
          });
        })
        .catch((err: unknown) => {
          job.state = 'failed';
          job.error = err instanceof Error ? err.message : String(err);
        });
      return job;
    },

    'audit.verifyStatus': async ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job) throw new BridgeFailure('NOT_FOUND', 'Vérification inconnue : relancez-la.');
      return job;
    },

    'audit.export': async (f, { caller }) => {
      await deps.journal.checkpoint();
      const r = await exportJournal(deps.journal.dir, {
        from: f.from,
        to: f.to,
        format: f.format,
        ...(f.patient ? { patient: f.patient } : {}),
        ...(f.userId ? { user: f.userId } : {}),
        now: deps.clock.now(),
      });
      const data = r.data ?? '';
      if (data.length > MAX_EXPORT_CHARS) throw new BridgeFailure('INVALID_INPUT', 'Export trop volumineux pour l’écran : réduisez la période ou utilisez « npm run journal -- export ».');
      await deps.audit.record({ type: 'journal.export', action: 'E', outcome: 'success', agent: caller.agent, detail: { from: f.from, to: f.to, format: f.format, entries: r.entries, ...(f.patient ? { patient: f.patient } : {}) } });
      const ext = f.format === 'fhir' ? 'json' : 'jsonl';
      return { fileName: `journal-${f.from}_${f.to}.${ext}`, mimeType: f.format === 'fhir' ? 'application/fhir+json' : 'application/x-ndjson', data, entries: r.entries, checkpoints: r.checkpoints };
    },

    'audit.accessReport': async ({ patient, identity, from, to }, { caller }) => {
      const key = typeof patient === 'string' ? toQueryPatient(patient) : fromPatientKey(patient);
      const r = await deps.journal.query({ patients: [key], type: PATIENT_FACING_TYPES, order: 'asc', limit: 100_000, ...(from ? { from } : {}), ...(to ? { to } : {}) });
      // IPP and INS as the journal stamped them (main's own data), completing what the DPO typed.
      const ipp = key.ipp ?? r.entries.find((e) => e.patient?.ipp)?.patient?.ipp;
      const ins = r.entries.find((e) => e.patient?.ins)?.patient?.ins ?? (typeof patient === 'string' ? undefined : patient.ins);
      const pdf = await buildAccessReportPdf({
        patient: { ...(identity ? { name: identity.name, ...(identity.birthDate ? { birthDate: identity.birthDate } : {}), ...(identity.sex ? { sex: identity.sex } : {}) } : {}), ...(ipp ? { ipp } : {}), ...(ins ? { ins } : {}) },
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        entries: r.entries,
        hospital: 'CHU',
        workstationName: deps.workstationName,
        generatedAt: deps.clock.now(),
        generatedBy: caller.user.displayName,
      });
      await deps.audit.record({
        type: 'journal.access_report',
        action: 'E',
        outcome: 'success',
        agent: caller.agent,
        ...(ipp || ins ? { patient: { ...(ipp ? { ipp } : {}), ...(ins ? { ins } : {}) } } : {}),
        detail: { accesses: r.total },
      });
      return { fileName: `acces-dossier-${ipp ?? key.insNir ?? 'patient'}.pdf`, pdfBase64: Buffer.from(pdf).toString('base64'), accesses: r.total };
    },

    ...createReviewHandlers(deps),
  };
}
