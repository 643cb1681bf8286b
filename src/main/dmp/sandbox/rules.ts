import type { Document } from '@xmldom/xmldom';
import type { AccessMode, DmpStatus } from '../types';
import { VISIBILITY_CODE_SYSTEM } from '../types';
import { readVihf, verifyVihf, VIHF_ATTR, SECRETARY_ROLE, type VerifiedVihf } from '../vihf';
import { cxToIns } from '../xds';
import { NS, descendants, path as xpath } from '../xml';
import { Fault, type Requester, type SandboxContext } from './context';
import type { SandboxPatient, SandboxStore, StoredEntry } from './store';

/** The VIHF in wsse:Security: signature (unless lenient), validity and the attributes the DMP requires. */
export function readRequester(ctx: SandboxContext, doc: Document, rawXml: string): Requester {
  const assertion = descendants(doc, NS.saml, 'Assertion')[0];
  const security = xpath(doc.documentElement!, [NS.soap, 'Header'], [NS.wsse, 'Security']);
  if (!assertion || !security || assertion.parentNode !== security) throw new Fault('VIHF_ABSENT', 'Jeton VIHF absent de wsse:Security');
  let vihf: VerifiedVihf | undefined;
  if (ctx.lenient) vihf = readVihf(assertion);
  else vihf = verifyVihf(rawXml, ctx.trustedCertPems, doc);
  if (!vihf) throw new Fault('VIHF_INVALIDE', 'Signature du VIHF invalide ou certificat non reconnu');
  if (!ctx.lenient && vihf.notOnOrAfter && Date.parse(vihf.notOnOrAfter) < Date.now()) throw new Fault('VIHF_INVALIDE', 'VIHF expiré');
  const a = vihf.attributes;
  for (const name of [VIHF_ATTR.version, VIHF_ATTR.authMode, VIHF_ATTR.structure, VIHF_ATTR.role, VIHF_ATTR.resourceId, VIHF_ATTR.purposeOfUse, VIHF_ATTR.lpsNom]) {
    if (!a[name]) throw new Fault('VIHF_INVALIDE', `Attribut VIHF manquant : ${name}`);
  }
  if (a[VIHF_ATTR.resourceUrn] !== 'urn:dmp') throw new Fault('VIHF_INVALIDE', 'Ressource_URN doit valoir urn:dmp');
  const mode = a[VIHF_ATTR.purposeOfUse] as AccessMode;
  if (!['normal', 'bris_de_glace', 'centre_15'].includes(mode)) throw new Fault('VIHF_INVALIDE', "Mode d'accès inconnu");
  return {
    vihf,
    professionalId: vihf.nameId,
    structure: a[VIHF_ATTR.structure]!,
    role: a[VIHF_ATTR.role]!,
    ins: cxToIns(a[VIHF_ATTR.resourceId]!).ins,
    mode,
  };
}

export function statusFor(p: SandboxPatient | undefined, r: Requester): DmpStatus | undefined {
  if (!p) return undefined;
  return { exists: true, authorization: p.authorizations[r.professionalId] ?? 'NON_EXISTE', oppositions: { ...p.oppositions } };
}

/** The real DMP's read rule: a valid authorisation, or break-glass / centre 15 without opposition. */
export function checkRead(store: SandboxStore, r: Requester): SandboxPatient {
  if (r.role === SECRETARY_ROLE) throw new Fault('ROLE_NON_AUTORISE', 'Le secrétariat médical ne consulte pas le DMP');
  const p = store.patient(r.ins);
  if (!p) throw new Fault('PATIENT_INCONNU', 'DMP inexistant');
  const auth = p.authorizations[r.professionalId] ?? 'NON_EXISTE';
  if (auth === 'INTERDIT') throw new Fault('ACCES_INTERDIT', 'Professionnel bloqué par le patient');
  if (r.mode === 'bris_de_glace' && p.oppositions.brisDeGlace) throw new Fault('OPPOSITION_BRIS_DE_GLACE', 'Opposition du patient au bris de glace');
  if (r.mode === 'centre_15' && p.oppositions.centre15) throw new Fault('OPPOSITION_ACCES_URGENCE', 'Opposition du patient au centre 15');
  if (r.mode === 'normal' && auth !== 'VALIDE') throw new Fault('ACCES_NON_AUTORISE', 'Aucune autorisation valide');
  return p;
}

/** Masked documents (MASQUE_PS) stay visible to their feeder's structure only. */
export function visibleTo(e: StoredEntry, r: Requester): boolean {
  if (e.meta.status === 'deleted') return false;
  const masked = e.meta.confidentialityCodes.some((c) => c.code === 'MASQUE_PS' && c.codeSystem === VISIBILITY_CODE_SYSTEM);
  return !masked || e.authorStructure === r.structure;
}

/** An RPLC makes the replaced entry deprecated, as an XDS registry does. */
export function deprecate(e: StoredEntry): void {
  e.meta = { ...e.meta, status: 'deprecated' };
}

/** The current version of a logical document (ITI-57 keeps older ones, deprecated). */
export function latestVersion(store: SandboxStore, logicalId: string, ins: string): StoredEntry | undefined {
  let best: StoredEntry | undefined;
  for (const e of store.state.entries) {
    if ((e.meta.logicalId ?? e.meta.entryUUID) !== logicalId || cxToIns(e.meta.patientCx).ins !== ins) continue;
    if (!best || Number(e.meta.version ?? '1') > Number(best.meta.version ?? '1')) best = e;
  }
  return best;
}

/** Is this entry an older metadata version, superseded by an ITI-57 update? */
export function superseded(store: SandboxStore, e: StoredEntry): boolean {
  const lid = e.meta.logicalId;
  if (!lid) return false;
  const latest = latestVersion(store, lid, cxToIns(e.meta.patientCx).ins);
  return !!latest && latest !== e;
}
