import { recordEvent, type RecordAuditEvent } from '../audit';
import { ROW_TABLES } from '../types';

export interface ImportIssue {
  /** Position of the entry in the bundle (0-based) or line in NDJSON (0-based). */
  index: number;
  resourceType: string;
  reason: string;
}

export interface ImportReport {
  total: number;
  /** Rows written per table. */
  imported: Record<(typeof ROW_TABLES)[number], number>;
  rejected: ImportIssue[];
  /** Resource types the record does not hold (List, Practitioner…). */
  skipped: ImportIssue[];
  /** Distinct patients written or updated. */
  patients: number;
  audit: RecordAuditEvent;
}

/** A bundle refused as a whole (not a Bundle, unreadable JSON). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Entries refused or left out, gathered by every phase for the report. */
export class IssueLog {
  readonly rejected: ImportIssue[];
  readonly skipped: ImportIssue[] = [];
  private readonly rejectedAt: Set<number>;

  constructor(preRejected: readonly ImportIssue[]) {
    this.rejected = [...preRejected];
    this.rejectedAt = new Set(preRejected.map((r) => r.index));
  }

  reject(index: number, resourceType: string, reason: string): void {
    this.rejected.push({ index, resourceType, reason });
    this.rejectedAt.add(index);
  }

  skip(index: number, resourceType: string, reason: string): void {
    this.skipped.push({ index, resourceType, reason });
  }

  isRejected(index: number): boolean {
    return this.rejectedAt.has(index);
  }
}

export function emptyImported(): ImportReport['imported'] {
  return Object.fromEntries(ROW_TABLES.map((t) => [t, 0])) as ImportReport['imported'];
}

/** The report, rejections in entry order, and the audit event the caller journals. */
export function buildReport(total: number, imported: ImportReport['imported'], issues: IssueLog, patients: number): ImportReport {
  const rejected = issues.rejected.sort((a, b) => a.index - b.index);
  const totalRows = ROW_TABLES.reduce((s, t) => s + imported[t], 0);
  return {
    total,
    imported,
    rejected,
    skipped: issues.skipped,
    patients,
    audit: recordEvent('record.import', 'C', undefined, undefined, {
      entries: total,
      rows: totalRows,
      patients,
      rejected: rejected.length,
    }),
  };
}
