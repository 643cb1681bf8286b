import { INS_KEY, type PatientKeyView } from '../../../../shared/bridge/methods-audit';
import { formatDateFr } from '../../../../shared/time';
import { searchPatients } from '../../db/search';
import type { PatientRow } from '../../db/types';
import { displayName, recordDb } from '../patients';

/** Digits only (an IPP), or a NIR with or without spaces: main matches it itself, no identity lookup needed. */
export function looksLikeIdentifier(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return /^\d{1,20}$/.test(compact) || INS_KEY.test(compact);
}

/** The patients of the workstation's identity index a name (or IPP, INS, date of birth) designates. */
export async function findPatients(text: string): Promise<{ rows: PatientRow[]; more: boolean }> {
  const r = await searchPatients(recordDb(), text, 50);
  return { rows: r.patients, more: r.more };
}

export function keyOf(p: PatientRow): PatientKeyView {
  const nir = p.insNir ?? p.ins?.value;
  return { ipp: p.ipp, ...(nir ? { ins: nir } : {}) };
}

export function bornText(p: Pick<PatientRow, 'sex' | 'birthDate'>): string {
  if (!p.birthDate) return 'date de naissance inconnue';
  return `${p.sex === 'F' ? 'née' : p.sex === 'M' ? 'né' : 'né(e)'} le ${formatDateFr(p.birthDate)}`;
}

/** "RIVIÈRE Patricia, née le 12/03/1956 — IPP 100000123 — INS 2 56 03 …": how the DPO tells patients apart. */
export function patientLine(p: PatientRow): string {
  const nir = p.insNir ?? p.ins?.value;
  return [`${displayName(p)}, ${bornText(p)}`, `IPP ${p.ipp}`, nir ? `INS ${nir}` : null].filter(Boolean).join(' — ');
}
