import type { AuditAction, AuditAgent, AuditEventInput, AuditOutcome, AuditPatient, PurposeOfUse } from '../host/audit-port';

/**
 * One journal entry. Names map one-to-one onto FHIR R4 AuditEvent / IHE BALP
 * (see fhir.ts): seq → extension + leaf index, time → recorded, type → subtype
 * (and type), action → action, outcome → outcome, agent → agent (requestor),
 * workstationId → source.observer, patient → entity (role Patient),
 * entity → entity (what), purposeOfUse → purposeOfEvent, detail → entity.detail.
 */
export interface JournalEntry {
  /** 0-based position in the journal; also the Merkle leaf index. */
  seq: number;
  /** UTC, ISO 8601 with milliseconds and "Z" (24 characters). */
  time: string;
  type: string;
  action: AuditAction;
  outcome: AuditOutcome;
  workstationId: string;
  agent?: AuditAgent;
  patient?: AuditPatient;
  entity?: { type: string; id: string };
  purposeOfUse?: PurposeOfUse;
  detail?: Record<string, string | number | boolean>;
}

/** Outside input that does not describe a valid audit event. */
export class AuditInputError extends Error {}

const TYPE_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const DETAIL_KEY_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const ACTIONS = new Set(['C', 'R', 'U', 'D', 'E']);
const OUTCOMES = new Set(['success', 'failure', 'denied']);
const MAX_TEXT = 512;
const MAX_JUSTIFICATION = 2000;
const MAX_DETAIL_KEYS = 32;
/** An entry line never exceeds this many bytes (verify and recovery rely on it). */
export const MAX_ENTRY_BYTES = 16 * 1024;

function text(v: unknown, what: string, max = MAX_TEXT, required = true): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw new AuditInputError(`Événement d’audit invalide : ${what} doit être un texte non vide.`);
  if (v.length > max) throw new AuditInputError(`Événement d’audit invalide : ${what} dépasse ${max} caractères.`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Record<string, unknown>, keys: string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new AuditInputError(`Événement d’audit invalide : champ inconnu « ${k} » dans ${what}.`);
  }
}

/** Validates an event from a service or a bridge payload; returns a clean copy. */
export function validateAuditInput(input: unknown): AuditEventInput {
  if (!isObject(input)) throw new AuditInputError('Événement d’audit invalide : un objet est attendu.');
  onlyKeys(input, ['type', 'action', 'outcome', 'agent', 'patient', 'entity', 'purposeOfUse', 'detail'], 'l’événement');
  const type = text(input.type, 'le type', 100) as string;
  if (!TYPE_RE.test(type)) throw new AuditInputError(`Événement d’audit invalide : type « ${type} » mal formé (attendu p. ex. « chart.open »).`);
  if (typeof input.action !== 'string' || !ACTIONS.has(input.action)) {
    throw new AuditInputError('Événement d’audit invalide : l’action doit être C, R, U, D ou E.');
  }
  if (typeof input.outcome !== 'string' || !OUTCOMES.has(input.outcome)) {
    throw new AuditInputError('Événement d’audit invalide : le résultat doit être success, failure ou denied.');
  }
  const out: AuditEventInput = { type, action: input.action as AuditAction, outcome: input.outcome as AuditOutcome };

  if (input.agent !== undefined) {
    const a = input.agent;
    if (!isObject(a)) throw new AuditInputError('Événement d’audit invalide : l’agent doit être un objet.');
    onlyKeys(a, ['userId', 'name', 'role', 'rpps'], 'l’agent');
    const agent: AuditAgent = {
      userId: text(a.userId, 'l’identifiant utilisateur') as string,
      name: text(a.name, 'le nom de l’utilisateur') as string,
      role: text(a.role, 'le rôle') as string,
    };
    const rpps = text(a.rpps, 'le RPPS', 32, false);
    if (rpps !== undefined) {
      if (!/^\d{11}$/.test(rpps)) throw new AuditInputError('Événement d’audit invalide : le RPPS doit compter 11 chiffres.');
      agent.rpps = rpps;
    }
    out.agent = agent;
  }

  if (input.patient !== undefined) {
    const p = input.patient;
    if (!isObject(p)) throw new AuditInputError('Événement d’audit invalide : le patient doit être un objet.');
    onlyKeys(p, ['ipp', 'ins'], 'le patient');
    const patient: AuditPatient = {};
    const ipp = text(p.ipp, 'l’IPP', 64, false);
    const ins = text(p.ins, 'l’INS', 64, false);
    // NIR (with Corsican 2A/2B department) and key, then the INS OID.
    if (ins !== undefined && !/^\d{5}(?:\d{2}|2[AB])\d{6}(\d{2})?@[0-9]+(\.[0-9]+)+$/.test(ins)) {
      throw new AuditInputError('Événement d’audit invalide : l’INS doit avoir la forme « NIR@OID ».');
    }
    if (ipp === undefined && ins === undefined) throw new AuditInputError('Événement d’audit invalide : patient sans IPP ni INS.');
    if (ipp !== undefined) patient.ipp = ipp;
    if (ins !== undefined) patient.ins = ins;
    out.patient = patient;
  }

  if (input.entity !== undefined) {
    const e = input.entity;
    if (!isObject(e)) throw new AuditInputError('Événement d’audit invalide : la donnée touchée doit être un objet.');
    onlyKeys(e, ['type', 'id'], 'la donnée touchée');
    out.entity = { type: text(e.type, 'le type de ressource', 64) as string, id: text(e.id, 'l’identifiant de ressource', 256) as string };
  }

  if (input.purposeOfUse !== undefined) {
    const u = input.purposeOfUse;
    if (!isObject(u)) throw new AuditInputError('Événement d’audit invalide : le mode d’accès doit être un objet.');
    switch (u.code) {
      case 'normal':
      case 'centre_15':
        onlyKeys(u, ['code'], 'le mode d’accès');
        out.purposeOfUse = { code: u.code };
        break;
      case 'bris_de_glace':
        onlyKeys(u, ['code', 'justification'], 'le mode d’accès');
        out.purposeOfUse = { code: 'bris_de_glace', justification: text(u.justification, 'la justification du bris de glace', MAX_JUSTIFICATION) as string };
        break;
      case 'bris_de_glace_local':
        onlyKeys(u, ['code', 'reason', 'justification'], 'le mode d’accès');
        out.purposeOfUse = {
          code: 'bris_de_glace_local',
          reason: text(u.reason, 'le motif du bris de glace', MAX_TEXT) as string,
          justification: text(u.justification, 'la justification du bris de glace', MAX_JUSTIFICATION) as string,
        };
        break;
      default:
        throw new AuditInputError('Événement d’audit invalide : mode d’accès inconnu (normal, bris_de_glace, centre_15 ou bris_de_glace_local).');
    }
  }

  if (input.detail !== undefined) {
    const d = input.detail;
    if (!isObject(d)) throw new AuditInputError('Événement d’audit invalide : le détail doit être un objet.');
    const keys = Object.keys(d);
    if (keys.length > MAX_DETAIL_KEYS) throw new AuditInputError(`Événement d’audit invalide : plus de ${MAX_DETAIL_KEYS} détails.`);
    const detail: Record<string, string | number | boolean> = {};
    for (const k of keys.sort()) {
      if (!DETAIL_KEY_RE.test(k)) throw new AuditInputError(`Événement d’audit invalide : clé de détail « ${k.slice(0, 64)} » mal formée.`);
      const v = d[k];
      if (typeof v === 'string') detail[k] = text(v, `le détail « ${k} »`) as string;
      else if (typeof v === 'number' && Number.isFinite(v)) detail[k] = v;
      else if (typeof v === 'boolean') detail[k] = v;
      else throw new AuditInputError(`Événement d’audit invalide : le détail « ${k} » doit être un texte, un nombre fini ou un booléen.`);
    }
    out.detail = detail;
  }
  return out;
}

/**
 * Canonical serialisation: fixed field order (seq first, so verification and
 * queries read seq/time/type at fixed places without parsing), optional fields
 * omitted, detail keys sorted, JSON.stringify escaping (no raw control
 * characters, lone surrogates escaped). The UTF-8 bytes of this string are the
 * "entry bytes" hashed into the Merkle tree.
 */
export function serializeEntry(e: JournalEntry): string {
  const o: Record<string, unknown> = { seq: e.seq, time: e.time, type: e.type, action: e.action, outcome: e.outcome, workstationId: e.workstationId };
  if (e.agent) {
    const a: Record<string, unknown> = { userId: e.agent.userId, name: e.agent.name, role: e.agent.role };
    if (e.agent.rpps !== undefined) a.rpps = e.agent.rpps;
    o.agent = a;
  }
  if (e.patient) {
    const p: Record<string, unknown> = {};
    if (e.patient.ipp !== undefined) p.ipp = e.patient.ipp;
    if (e.patient.ins !== undefined) p.ins = e.patient.ins;
    o.patient = p;
  }
  if (e.entity) o.entity = { type: e.entity.type, id: e.entity.id };
  if (e.purposeOfUse) {
    const u = e.purposeOfUse;
    o.purposeOfUse =
      u.code === 'bris_de_glace'
        ? { code: u.code, justification: u.justification }
        : u.code === 'bris_de_glace_local'
          ? { code: u.code, reason: u.reason, justification: u.justification }
          : { code: u.code };
  }
  if (e.detail) {
    const d: Record<string, unknown> = {};
    for (const k of Object.keys(e.detail).sort()) d[k] = e.detail[k];
    o.detail = d;
  }
  return JSON.stringify(o);
}

/** Parses entry bytes written by serializeEntry (trusted file content, already hash-checked). */
export function parseEntry(json: string): JournalEntry {
  return JSON.parse(json) as JournalEntry;
}

/** Formats a time stamp the way entries carry it. */
export function formatTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new Error('Horloge invalide : date non valide.');
  return d.toISOString();
}
