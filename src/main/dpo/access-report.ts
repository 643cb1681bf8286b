import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { auditEventLabel, PURPOSE_LABELS } from '../../shared/audit-labels';
import { ROLE_LABELS, type Role } from '../../shared/bridge/roles';
import type { JournalEntry } from '../audit';
import { formatDateTimeFr } from '../../shared/time';

/** Journal events a patient is told about: accesses to and changes of their record. */
export const PATIENT_FACING_TYPES = ['chart.open', 'identity.open', 'record.*', 'dmp.*', 'security.breakglass.*'];

export interface AccessReportInput {
  patient: string;
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


/**
 * "Qui a consulté ce dossier ?" — the report a patient can be handed on
 * request: every access to their record in this workstation's journal, who
 * (name and role), when, what and why (break-glass accesses stand out).
 */
export async function buildAccessReportPdf(input: AccessReportInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(printable(`Relevé des accès au dossier ${input.patient}`));
  pdf.setCreator('Poste clinique CHU');
  pdf.setCreationDate(input.generatedAt);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const margin = 48;
  let page: PDFPage = pdf.addPage([595.28, 841.89]);
  let y = page.getHeight() - margin;

  const text = (p: PDFPage, s: string, x: number, yy: number, size: number, f: PDFFont, color = rgb(0.1, 0.12, 0.14)) =>
    p.drawText(printable(s), { x, y: yy, size, font: f, color });

  text(page, 'Qui a consulté ce dossier ?', margin, y, 18, bold);
  y -= 24;
  text(page, `Relevé des accès au dossier patient — ${input.hospital}`, margin, y, 11, font);
  y -= 16;
  text(page, `Patient (IPP ou INS) : ${input.patient}`, margin, y, 11, font);
  y -= 16;
  text(page, `Poste : ${input.workstationName} — édité le ${formatDateTimeFr(input.generatedAt)} par ${input.generatedBy}`, margin, y, 9, font);
  y -= 14;
  text(page, `${input.entries.length} accès enregistré(s) dans le journal signé de ce poste.`, margin, y, 9, font);
  y -= 24;

  const cols = [margin, margin + 100, margin + 250, margin + 400];
  const header = () => {
    text(page, 'Date', cols[0]!, y, 9, bold);
    text(page, 'Professionnel', cols[1]!, y, 9, bold);
    text(page, 'Action', cols[2]!, y, 9, bold);
    text(page, 'Motif', cols[3]!, y, 9, bold);
    y -= 6;
    page.drawLine({ start: { x: margin, y }, end: { x: page.getWidth() - margin, y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    y -= 12;
  };
  header();
  const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  for (const e of input.entries) {
    if (y < margin + 20) {
      page = pdf.addPage([595.28, 841.89]);
      y = page.getHeight() - margin;
      header();
    }
    const who = e.agent ? `${e.agent.name} (${ROLE_LABELS[e.agent.role as Role] ?? e.agent.role})` : '—';
    const purpose = e.purposeOfUse ? (PURPOSE_LABELS[e.purposeOfUse.code] ?? e.purposeOfUse.code) : 'Soins';
    const urgent = e.purposeOfUse && e.purposeOfUse.code !== 'normal';
    const color = urgent ? rgb(0.7, 0.15, 0.12) : rgb(0.1, 0.12, 0.14);
    text(page, formatDateTimeFr(e.time, { seconds: true }), cols[0]!, y, 8.5, font, color);
    text(page, clip(who, 34), cols[1]!, y, 8.5, font, color);
    text(page, clip(auditEventLabel(e.type) + (e.outcome === 'success' ? '' : ' (refusé)'), 34), cols[2]!, y, 8.5, font, color);
    text(page, clip(purpose, 30), cols[3]!, y, 8.5, urgent ? bold : font, color);
    y -= 13;
  }
  if (input.entries.length === 0) text(page, 'Aucun accès enregistré sur la période.', margin, y, 10, font);
  const pages = pdf.getPages();
  pages.forEach((p, i) =>
    p.drawText(printable(`Document remis au patient à sa demande — page ${i + 1}/${pages.length}`), { x: margin, y: 24, size: 8, font, color: rgb(0.4, 0.4, 0.4) }),
  );
  return pdf.save();
}
