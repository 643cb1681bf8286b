import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { auditEventLabel, PURPOSE_LABELS } from '../../shared/audit-labels';
import { BREAK_GLASS_REASONS, type BreakGlassReason } from '../../shared/authz/break-glass';
import { ROLE_LABELS, type Role } from '../../shared/bridge/roles';
import type { JournalEntry } from '../audit';
import { formatDateFr, formatDateTimeFr } from '../../shared/time';

/** Journal events a patient is told about: accesses to and changes of their record. */
export const PATIENT_FACING_TYPES = ['chart.open', 'identity.open', 'record.*', 'dmp.*', 'security.breakglass.*'];

export interface ReportPatient {
  name?: string;
  birthDate?: string;
  sex?: 'M' | 'F' | 'U';
  ipp?: string;
  ins?: string;
}

export interface AccessReportInput {
  patient: ReportPatient;
  from?: string;
  to?: string;
  entries: JournalEntry[];
  hospital: string;
  workstationName: string;
  generatedAt: Date;
  generatedBy: string;
}

// Standard PDF fonts speak WinAnsi: keep French letters, replace what they cannot draw.
const WIN_ANSI_EXTRA = '’‘“”–—…€œŒ';
function printable(text: string): string {
  return [...text].map((c) => (c.charCodeAt(0) < 256 || WIN_ANSI_EXTRA.includes(c) ? c : '?')).join('');
}

/** Splits text into lines no wider than `width` at this font size; a word longer than a line is cut, never dropped. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  for (const word of printable(text).split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** The NIR as printed on a carte Vitale: 1 23 45 67 890 123 45. */
function spacedNir(ins: string): string {
  const nir = ins.split('@')[0]!;
  const m = /^(.)(..)(..)(..)(...)(...)(..)?$/.exec(nir);
  return m ? m.slice(1).filter(Boolean).join(' ') : nir;
}

function patientLines(p: ReportPatient): string[] {
  return [
    `Patient : ${p.name ?? 'nom non précisé'}${p.birthDate ? `, ${p.sex === 'F' ? 'née' : p.sex === 'M' ? 'né' : 'né(e)'} le ${formatDateFr(p.birthDate)}` : ''}`,
    [p.ipp ? `IPP ${p.ipp}` : null, p.ins ? `INS (NIR) ${spacedNir(p.ins)}` : null].filter(Boolean).join(' — ') || 'Identifiants non précisés',
  ];
}

function actionText(e: JournalEntry): string {
  const refused = e.outcome === 'success' ? '' : ' (refusé)';
  const ended = e.type === 'security.breakglass.end' && e.detail?.['ended'] === 'expired' ? ' (durée écoulée)' : '';
  return auditEventLabel(e.type) + ended + refused;
}

function purposeText(e: JournalEntry): string {
  if (!e.purposeOfUse) return 'Soins';
  const p: { code: string; reason?: string; justification?: string } = e.purposeOfUse;
  const label = PURPOSE_LABELS[p.code] ?? 'Autre motif';
  const reason = p.reason && p.reason in BREAK_GLASS_REASONS ? BREAK_GLASS_REASONS[p.reason as BreakGlassReason] : undefined;
  return [label, reason, p.justification ? `« ${p.justification} »` : undefined].filter(Boolean).join(' — ');
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const SIZE = 8.5;
const LEAD = 11;
const COLUMNS = [
  { title: 'Date et heure', width: 88 },
  { title: 'Professionnel', width: 130 },
  { title: 'Action', width: 150 },
  { title: 'Motif', width: A4[0] - 2 * MARGIN - 88 - 130 - 150 },
];

/**
 * "Qui a consulté ce dossier ?" — the report a patient can be handed on request: every access to their record
 * in this workstation's journal, who (name and role), when, what and why, in plain French, every cell wrapped
 * in full (a row that does not fit moves to the next page whole).
 */
export async function buildAccessReportPdf(input: AccessReportInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(printable(`Relevé des accès au dossier${input.patient.name ? ` de ${input.patient.name}` : ''}`));
  pdf.setCreator('Poste clinique CHU');
  pdf.setCreationDate(input.generatedAt);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage(A4);
  let y = page.getHeight() - MARGIN;
  const ink = rgb(0.1, 0.12, 0.14);
  const write = (s: string, x: number, size: number, f: PDFFont, color = ink) => page.drawText(printable(s), { x, y, size, font: f, color });
  const paragraph = (s: string, size: number, f: PDFFont) => {
    for (const l of wrapText(s, f, size, A4[0] - 2 * MARGIN)) {
      write(l, MARGIN, size, f);
      y -= size + 5;
    }
  };

  paragraph('Qui a consulté ce dossier ?', 18, bold);
  y -= 4;
  paragraph(`Relevé des accès au dossier patient — ${input.hospital}`, 11, font);
  for (const l of patientLines(input.patient)) paragraph(l, 11, bold);
  const period = input.from || input.to ? ` Période : ${input.from ? `du ${formatDateFr(input.from)}` : 'depuis le début'} ${input.to ? `au ${formatDateFr(input.to)}` : 'à ce jour'}.` : '';
  paragraph(`Poste : ${input.workstationName} — édité le ${formatDateTimeFr(input.generatedAt)} par ${input.generatedBy}.${period}`, 9, font);
  paragraph(`${input.entries.length} accès enregistré(s) dans le journal signé de ce poste. Les accès exceptionnels (bris de glace) apparaissent en rouge, avec leur justification.`, 9, font);
  y -= 10;

  const header = () => {
    let x = MARGIN;
    for (const c of COLUMNS) {
      write(c.title, x, 9, bold);
      x += c.width;
    }
    y -= 6;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    y -= 12;
  };
  header();
  for (const e of input.entries) {
    const who = e.agent ? `${e.agent.name} (${ROLE_LABELS[e.agent.role as Role] ?? 'rôle inconnu'})` : 'Non identifié';
    const urgent = !!e.purposeOfUse && e.purposeOfUse.code !== 'normal';
    const cells = [formatDateTimeFr(e.time, { seconds: true }), who, actionText(e), purposeText(e)].map((t, i) => wrapText(t, i === 3 && urgent ? bold : font, SIZE, COLUMNS[i]!.width - 6));
    const height = Math.max(...cells.map((c) => c.length)) * LEAD + 3;
    if (y - height < MARGIN + 20) {
      page = pdf.addPage(A4);
      y = page.getHeight() - MARGIN;
      header();
    }
    const color = urgent ? rgb(0.7, 0.15, 0.12) : ink;
    let x = MARGIN;
    cells.forEach((lines, i) => {
      lines.forEach((l, k) => page.drawText(l, { x, y: y - k * LEAD, size: SIZE, font: i === 3 && urgent ? bold : font, color }));
      x += COLUMNS[i]!.width;
    });
    y -= height;
  }
  if (input.entries.length === 0) paragraph('Aucun accès enregistré sur la période.', 10, font);
  const pages = pdf.getPages();
  pages.forEach((p, i) =>
    p.drawText(printable(`Document remis au patient à sa demande — page ${i + 1}/${pages.length}`), { x: MARGIN, y: 24, size: 8, font, color: rgb(0.4, 0.4, 0.4) }),
  );
  return pdf.save();
}
