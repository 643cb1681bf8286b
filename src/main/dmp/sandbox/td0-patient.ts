import { addTd02Response, readTd02Request } from '../hl7v3';
import { SECRETARY_ROLE } from '../vihf';
import { NS, add, descendants, text } from '../xml';
import { Fault, type TransactionRequest } from './context';
import { statusFor } from './rules';

/** TD0.2 (PRPA_IN201307UV02): DMP existence, the requester's authorisation and the oppositions. */
export function handleTd02({ ctx, body, r, reply }: TransactionRequest): void {
  const q = readTd02Request(body);
  if (!q) throw new Fault('RequeteInvalide', 'patientIdentifier absent');
  if (q.ins !== r.ins) throw new Fault('RequeteInvalide', "L'INS de la requête diffère de celui du VIHF");
  addTd02Response(reply.out, q.ins, q.root, statusFor(ctx.store.patient(q.ins), r), new Date());
}

/** TD0.3 (setAuthorization AJOUT): the professional declares the patient's consent. */
export function handleTd03({ ctx, body, r, reply }: TransactionRequest): void {
  if (r.role === SECRETARY_ROLE) throw new Fault('ROLE_NON_AUTORISE', 'Le secrétariat médical ne gère pas les autorisations');
  if (text(descendants(body, NS.hab, 'action')[0]) !== 'AJOUT') throw new Fault('RequeteInvalide', 'Action AJOUT attendue');
  const p = ctx.store.patient(r.ins);
  if (!p) throw new Fault('PATIENT_INCONNU', 'DMP inexistant');
  if (p.authorizations[r.professionalId] === 'INTERDIT') throw new Fault('ACCES_INTERDIT', 'Professionnel bloqué par le patient');
  ctx.store.upsertPatient({ ins: r.ins, authorizations: { [r.professionalId]: 'VALIDE' } });
  add(add(reply.out, NS.hab, 'setAuthorizationResponse'), NS.hab, 'status', {}, 'OK');
}
