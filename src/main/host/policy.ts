import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The hospital's managed settings: one JSON file the IT department deploys at an admin-owned path
 * (GPO, Ansible…). Users cannot edit it, so production takes from it what a user must not choose:
 * the data directory, the DMP endpoint, the lock delay. Anything malformed stops the start with a
 * French message naming the file and the field, never a silent default.
 */

const httpsUrl = (what: string) =>
  z
    .string()
    .url({ message: `${what} : une URL est attendue.` })
    .refine((u) => u.startsWith('https://'), { message: `${what} : seule une adresse https:// est acceptée (http:// est refusé en production).` });

export const PolicySchema = z
  .object({
    format: z.literal('chu-workstation/policy', { message: 'format : « chu-workstation/policy » est attendu.' }),
    version: z.literal(1, { message: 'version : seule la version 1 est reconnue.' }),
    workstationName: z.string().trim().min(1, { message: 'workstationName : ne peut pas être vide.' }).max(100, { message: 'workstationName : 100 caractères au plus.' }).optional(),
    dataDir: z
      .string()
      .refine((p) => path.isAbsolute(p), { message: 'dataDir : un chemin absolu est attendu.' })
      .optional(),
    lockAfterMinutes: z.number().int({ message: 'lockAfterMinutes : un nombre entier de minutes est attendu.' }).min(1, { message: 'lockAfterMinutes : 1 minute au moins.' }).max(60, { message: 'lockAfterMinutes : 60 minutes au plus.' }).optional(),
    regulation: z.boolean({ message: 'regulation : vrai ou faux est attendu.' }).optional(),
    dmp: z
      .object({
        servicesUrl: httpsUrl('dmp.servicesUrl'),
        label: z.string().min(1).max(60).optional(),
        test: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type HospitalPolicy = z.infer<typeof PolicySchema>;

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Where each OS keeps machine-wide, admin-written configuration. */
export function defaultPolicyPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Poste clinique CHU', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Poste clinique CHU/policy.json';
  return '/etc/chu-workstation/policy.json';
}

function zodPath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

/** Parses the policy text; every problem is listed, in French, with the file it came from. */
export function parsePolicy(text: string, file: string): HospitalPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PolicyError(`La politique de l'établissement (${file}) n'est pas un JSON valide : corrigez le fichier ou demandez au service informatique de le redéployer.`);
  }
  const result = PolicySchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `champ inconnu : ${i.keys.join(', ')}`;
    const where = zodPath(i);
    return i.message.includes(':') || !where ? i.message : `${where} : ${i.message}`;
  });
  throw new PolicyError(`La politique de l'établissement (${file}) est invalide : ${problems.join(' ; ')}.`);
}

export interface ReadPolicyOptions {
  /** POSIX only: the policy must belong to root and be writable by nobody else (it is an admin's decision). */
  requireAdminOwned?: boolean;
}

/**
 * Reads the policy file (synchronously: Electron's paths must be set before the app is ready);
 * absent means "no managed settings" (null). On POSIX a file a user could
 * have written is refused: a policy anyone can edit would let anyone point the DMP elsewhere.
 */
export function readPolicyFile(file: string, opts: ReadPolicyOptions = {}): HospitalPolicy | null {
  let text: string;
  try {
    if (opts.requireAdminOwned && process.platform !== 'win32') {
      const st = statSync(file);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
        throw new PolicyError(
          `La politique de l'établissement (${file}) doit appartenir à root et n'être modifiable par personne d'autre (propriétaire actuel : ${st.uid}, droits ${(st.mode & 0o777).toString(8)}).`,
        );
      }
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (err instanceof PolicyError) throw err;
    throw new PolicyError(`La politique de l'établissement (${file}) est illisible : ${(err as Error).message}.`);
  }
  return parsePolicy(text, file);
}
