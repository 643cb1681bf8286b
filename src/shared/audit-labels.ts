/** French labels of journal event types, for the DPO screen and the patient's access report. */
export const AUDIT_EVENT_LABELS: Record<string, string> = {
  'auth.login': 'Connexion',
  'auth.logout': 'Déconnexion',
  'auth.switch': 'Changement d’utilisateur',
  'auth.lock': 'Verrouillage',
  'auth.unlock': 'Déverrouillage',
  'access.denied': 'Accès refusé',
  'security.breakglass.start': 'Début d’accès exceptionnel (bris de glace)',
  'security.breakglass.end': 'Fin d’accès exceptionnel',
  'chart.open': 'Ouverture du dossier clinique',
  'identity.open': 'Ouverture du dossier administratif',
  'record.search': 'Recherche de patient',
  'record.document.view': 'Consultation d’un document',
  'record.labs.view': 'Consultation des résultats de biologie',
  'record.patient.create': 'Création du patient',
  'record.identity.update': 'Modification de l’identité',
  'record.identity.link': 'Rattachement d’identité',
  'record.allergy.write': 'Saisie d’une allergie',
  'record.treatment.write': 'Saisie d’un traitement',
  'record.problem.write': 'Saisie d’un diagnostic',
  'record.note.write': 'Saisie d’une note clinique',
  'record.import': 'Import de données',
  'users.create': 'Création d’un utilisateur',
  'users.disable': 'Désactivation d’un utilisateur',
  'users.enable': 'Réactivation d’un utilisateur',
  'users.password.reset': 'Réinitialisation de mot de passe',
  'journal.recovered': 'Journal réparé après un arrêt brutal',
  'journal.verify': 'Vérification du journal',
  'journal.export': 'Export du journal',
  'journal.access_report': 'Édition du relevé des accès d’un patient',
  'dmp.td02': 'DMP : vérification de l’accès',
  'dmp.td03': 'DMP : enregistrement du consentement',
  'dmp.search': 'DMP : liste des documents',
  'dmp.retrieve': 'DMP : consultation d’un document',
  'dmp.submit': 'DMP : alimentation',
  'dmp.visibility': 'DMP : changement de visibilité',
};

export function auditEventLabel(type: string): string {
  return AUDIT_EVENT_LABELS[type] ?? type;
}

export const PURPOSE_LABELS: Record<string, string> = {
  normal: 'Soins',
  bris_de_glace: 'Bris de glace (DMP)',
  centre_15: 'Régulation (centre 15)',
  bris_de_glace_local: 'Accès exceptionnel (bris de glace local)',
};
