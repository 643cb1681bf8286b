/**
 * One typed error for everything the DMP layer refuses or fails at. `code` is stable
 * (tests, UI branches), `message` is French and says what to do.
 */
// The codes are declared with every other bridge code, in shared/bridge/errors.ts.
import type { DmpErrorCode } from '../../shared/bridge/errors';

export type { DmpErrorCode };

export class DmpError extends Error {
  readonly code: DmpErrorCode;
  /** Raw code reported by the DMP (XDS errorCode, SOAP fault subcode), when there was one. */
  readonly remoteCode?: string;

  constructor(code: DmpErrorCode, message: string, options: { cause?: unknown; remoteCode?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DmpError';
    this.code = code;
    if (options.remoteCode !== undefined) this.remoteCode = options.remoteCode;
  }

  /** The plain `{code, message}` shape that crosses the bridge. */
  toJSON(): { code: DmpErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isDmpError(e: unknown): e is DmpError {
  return e instanceof DmpError;
}

/** French messages for the XDS error codes of ITI-18/41/43/57 (IHE ITI TF-3 Table 4.2.4.1-2). */
const XDS_MESSAGES: Record<string, [DmpErrorCode, string]> = {
  XDSUnknownPatientId: ['XDSUnknownPatientId', "Le DMP ne connaît pas ce patient (INS inconnu ou DMP non créé). Vérifiez l'INS qualifié du patient."],
  XDSRegistryError: ['XDSRegistryError', "Le registre du DMP a signalé une erreur interne. Réessayez dans quelques minutes ; si l'erreur persiste, contactez le support DMP."],
  XDSRepositoryError: ['XDSRepositoryError', "L'entrepôt de documents du DMP a signalé une erreur interne. Réessayez dans quelques minutes."],
  XDSDuplicateUniqueIdInRegistry: ['XDSDuplicateUniqueIdInRegistry', "Ce document a déjà été envoyé au DMP (identifiant unique déjà présent). Pour le corriger, envoyez une nouvelle version qui remplace l'ancienne."],
  XDSMissingDocument: ['XDSMissingDocument', "Le document demandé n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents."],
  XDSDocumentUniqueIdError: ['XDSDocumentUniqueIdError', "Le document demandé n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents."],
  XDSMissingDocumentMetadata: ['XDSMissingDocumentMetadata', "Le DMP a refusé l'envoi : le document et ses métadonnées ne correspondent pas."],
  XDSPatientIdDoesNotMatch: ['XDSPatientIdDoesNotMatch', "Le DMP a refusé l'envoi : l'INS du document ne correspond pas à celui du lot de soumission."],
  XDSRegistryMetadataError: ['XDSRegistryMetadataError', "Le DMP a refusé les métadonnées du document (champ manquant ou code inconnu). Vérifiez l'en-tête du CDA."],
  XDSUnknownRepositoryId: ['XDSUnknownRepositoryId', "L'entrepôt indiqué pour ce document est inconnu du DMP. Actualisez la liste des documents."],
  XDSRegistryBusy: ['XDSRegistryBusy', 'Le DMP est momentanément surchargé. Réessayez dans quelques instants.'],
  SIGNATURE_LOT_INVALIDE: ['DMP_SIGNATURE_INVALID', "Le DMP a refusé le lot de soumission : sa signature électronique (XAdES) est absente, invalide ou faite avec un certificat non reconnu. Vérifiez le certificat de cachet de l'établissement puis renvoyez le document."],
  XDSMetadataVersionError: ['XDSRegistryMetadataError', "Le document a été modifié entre-temps dans le DMP : actualisez la liste des documents puis recommencez."],
  XDSMetadataUpdateError: ['XDSRegistryMetadataError', "Le DMP a refusé la modification des métadonnées du document (identifiant ou patient non modifiables)."],
  XDSUnresolvedReferenceException: ['XDSMissingDocument', "Le document à modifier n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents."],
  AUTEUR_REQUIS: ['DMP_NOT_AUTHOR', "Seul l'auteur du document (son établissement) peut le supprimer du DMP."],
  XDSStoredQueryParamNumber: ['XDSStoredQueryParamNumber', 'La recherche envoyée au DMP est incorrecte (paramètres manquants ou en trop).'],
};

export function xdsError(remoteCode: string, context?: string): DmpError {
  const known = XDS_MESSAGES[remoteCode];
  if (known) return new DmpError(known[0], known[1], { remoteCode });
  const detail = context ? ` (${context.slice(0, 200)})` : '';
  return new DmpError('XDSError', `Le DMP a refusé la requête avec le code ${remoteCode}${detail}.`, { remoteCode });
}

/** DMP-specific SOAP fault subcodes (the sandbox emits these; the real DMP uses equivalent ones). */
const FAULT_MESSAGES: Record<string, [DmpErrorCode, string]> = {
  VIHF_ABSENT: ['DMP_VIHF_REJECTED', "Le DMP a refusé la requête : jeton d'identification (VIHF) absent."],
  VIHF_INVALIDE: ['DMP_VIHF_REJECTED', "Le DMP a refusé le jeton d'identification (VIHF) : signature invalide ou certificat d'établissement non reconnu. Vérifiez le certificat configuré."],
  PATIENT_INCONNU: ['DMP_PATIENT_UNKNOWN', "Le DMP n'existe pas pour ce patient (INS inconnu)."],
  ACCES_INTERDIT: ['DMP_ACCESS_DENIED', 'Le patient a interdit votre accès à son DMP : aucun accès n\'est possible.'],
  ACCES_NON_AUTORISE: ['DMP_ACCESS_DENIED', "Le DMP a refusé l'accès : aucune autorisation valide pour ce patient. Recueillez le consentement du patient puis ajoutez l'autorisation."],
  OPPOSITION_BRIS_DE_GLACE: ['DMP_PATIENT_OPPOSED', "Le patient s'est opposé à l'accès en mode bris de glace à son DMP."],
  OPPOSITION_ACCES_URGENCE: ['DMP_PATIENT_OPPOSED', "Le patient s'est opposé à l'accès par le centre 15 à son DMP."],
  ROLE_NON_AUTORISE: ['DMP_ACCESS_DENIED', "Votre profession ne permet pas cette opération sur le DMP (les secrétaires médicales ne consultent pas le contenu du DMP)."],
};

export function soapFaultError(subcode: string | undefined, reason: string): DmpError {
  const known = subcode ? FAULT_MESSAGES[subcode] : undefined;
  if (known) return new DmpError(known[0], known[1], { remoteCode: subcode });
  const shown = reason ? ` : « ${reason.slice(0, 200)} »` : '';
  return new DmpError('DMP_SOAP_FAULT', `Le DMP a renvoyé une erreur${shown}. Réessayez ; si l'erreur persiste, contactez le support DMP.`, { remoteCode: subcode });
}
