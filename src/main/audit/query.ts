import { parseEntry, type JournalEntry } from './entry';
import { PREFIX_BYTES, recordJson } from './record';
import { scanLines } from './scan';

/** Filter of the DPO screen. Dates: Date, ISO instant, or "YYYY-MM-DD" (whole UTC day). */
export interface JournalQuery {
  from?: Date | string;
  to?: Date | string;
  patientIpp?: string;
  patientIns?: string;
  /** Matches the IPP or the INS. */
  patient?: string;
  /** Any of these patients: an IPP exactly, or an INS by its NIR (13 or 15 digits, with or without "@OID"). */
  patients?: { ipp?: string; insNir?: string }[];
  userId?: string;
  /** Part of a user's login or name, any case; also the identifier typed on a failed login. */
  userText?: string;
  /** One type or several ("chart.open"); a trailing ".*" matches a family ("auth.*"). */
  type?: string | string[];
  /** Only break-glass accesses (DMP bris_de_glace and local break-glass). */
  breakGlass?: boolean;
  /** First seq / end seq (exclusive). */
  fromSeq?: number;
  toSeq?: number;
  limit?: number;
  offset?: number;
  /** 'desc' = newest first (default 'asc'). */
  order?: 'asc' | 'desc';
}

export interface QueryResult {
  entries: JournalEntry[];
  /** All matches, for the list's scroll height. */
  total: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseBound(v: Date | string | undefined, edge: 'from' | 'to'): string | undefined {
  if (v === undefined) return undefined;
  let d: Date;
  if (v instanceof Date) d = v;
  else if (DAY.test(v)) d = new Date(`${v}T${edge === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`);
  else d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new Error(`Date invalide : « ${String(v)} » (attendu AAAA-MM-JJ ou un instant ISO 8601).`);
  return d.toISOString();
}

const needle = (key: string, value: string): Buffer => Buffer.from(`"${key}":${JSON.stringify(value)}`, 'utf8');
const BREAK_GLASS = Buffer.from('"purposeOfUse":{"code":"bris_de_glace', 'utf8');

function patientMatches(e: JournalEntry, p: { ipp?: string; insNir?: string }): boolean {
  if (p.ipp && e.patient?.ipp === p.ipp) return true;
  const ins = e.patient?.ins;
  return !!(p.insNir && ins && (ins === p.insNir || ins.startsWith(p.insNir)));
}

function userMatches(e: JournalEntry, lowered: string): boolean {
  const attempted = e.detail?.['attemptedId'];
  const texts = [e.agent?.userId, e.agent?.name, typeof attempted === 'string' ? attempted : undefined];
  return texts.some((t) => t !== undefined && t.toLocaleLowerCase('fr').includes(lowered));
}

/**
 * Streams journal.log up to `limit` bytes and pages the matching entries.
 * Time, type and raw-byte needles are tested before any JSON.parse, so a
 * selective query over a million entries only parses its candidates.
 */
export async function queryJournal(fd: number, limitBytes: number, filter: JournalQuery): Promise<QueryResult> {
  const from = parseBound(filter.from, 'from');
  const to = parseBound(filter.to, 'to');
  const offset = Math.max(0, filter.offset ?? 0);
  const limit = Math.max(0, filter.limit ?? 200);
  const desc = filter.order === 'desc';
  const types = filter.type === undefined ? null : Array.isArray(filter.type) ? filter.type : [filter.type];
  const needles: Buffer[] = [];
  if (filter.patientIpp) needles.push(needle('ipp', filter.patientIpp));
  if (filter.patientIns) needles.push(needle('ins', filter.patientIns));
  if (filter.userId) needles.push(needle('userId', filter.userId));
  if (filter.breakGlass) needles.push(BREAK_GLASS);
  const patientNeedles = filter.patient ? [needle('ipp', filter.patient), needle('ins', filter.patient)] : null;
  const anyOf = filter.patients?.length ? filter.patients : null;
  // An INS is stored "NIR@OID": its needle is the open-ended prefix `"ins":"NIR`.
  const anyNeedles = anyOf?.flatMap((p) => [
    ...(p.ipp ? [needle('ipp', p.ipp)] : []),
    ...(p.insNir ? [Buffer.from(`"ins":"${p.insNir}`, 'utf8')] : []),
  ]);
  const userText = filter.userText ? filter.userText.toLocaleLowerCase('fr') : null;

  const typeMatches = (t: string): boolean =>
    !types || types.some((x) => (x.endsWith('.*') ? t.startsWith(x.slice(0, -1)) : t === x));

  const page: JournalEntry[] = [];
  let total = 0;
  await scanLines(fd, 0, limitBytes, (buf, s, nl) => {
    const line = buf.subarray(s + PREFIX_BYTES, nl);
    // Fixed layout: {"seq":N,"time":"<24 chars>","type":"<type>",...
    const comma = line.indexOf(0x2c);
    const seq = Number(line.toString('latin1', 7, comma));
    if (filter.fromSeq !== undefined && seq < filter.fromSeq) return;
    if (filter.toSeq !== undefined && seq >= filter.toSeq) return false;
    const time = line.toString('latin1', comma + 9, comma + 33);
    if ((from && time < from) || (to && time > to)) return;
    if (types) {
      const tStart = comma + 43;
      const tEnd = line.indexOf(0x22, tStart);
      if (!typeMatches(line.toString('latin1', tStart, tEnd))) return;
    }
    for (const n of needles) if (line.indexOf(n) < 0) return;
    if (patientNeedles && patientNeedles.every((n) => line.indexOf(n) < 0)) return;
    if (anyNeedles && anyNeedles.every((n) => line.indexOf(n) < 0)) return;
    if (userText && !line.toString('utf8').toLocaleLowerCase('fr').includes(userText)) return;
    // Candidate: parse and check exactly (a needle may also match inside detail).
    const e = parseEntry(recordJson(buf, s, nl));
    if (filter.patientIpp && e.patient?.ipp !== filter.patientIpp) return;
    if (filter.patientIns && e.patient?.ins !== filter.patientIns) return;
    if (filter.patient && e.patient?.ipp !== filter.patient && e.patient?.ins !== filter.patient) return;
    if (filter.userId && e.agent?.userId !== filter.userId) return;
    if (anyOf && !anyOf.some((p) => patientMatches(e, p))) return;
    if (userText && !userMatches(e, userText)) return;
    if (filter.breakGlass && e.purposeOfUse?.code !== 'bris_de_glace' && e.purposeOfUse?.code !== 'bris_de_glace_local') return;
    total++;
    if (desc) {
      // Keep the newest offset+limit matches.
      page.push(e);
      if (page.length > offset + limit) page.shift();
    } else if (total > offset && page.length < limit) {
      page.push(e);
    }
  });
  if (desc) {
    page.reverse();
    return { entries: page.slice(offset, offset + limit), total };
  }
  return { entries: page, total };
}
