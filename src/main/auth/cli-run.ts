import { CliUsageError, parseCliArgs } from '../cli/args';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { initDemo } from './demo';
import { enrollUserCertificate } from './pki/enroll';
import { isAuthError } from './errors';
import { ROLES, ROLE_LABELS, isRole } from './roles';
import { openUserDirectory } from './user-directory';

/**
 * `npm run users -- <command> --data-dir D`: the terminal side of the user
 * directory. Passwords never come from argv (shell history, `ps`): they are
 * read from the USER_PASSWORD environment variable or from standard input.
 * Exit codes: 0 done, 1 refused or failed, 2 wrong usage.
 */

export const PASSWORD_ENV = 'USER_PASSWORD';
export const PIN_ENV = 'USER_PIN';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage : npm run users -- <commande> --data-dir <dossier> [options]

Commandes :
  list                                   un utilisateur par ligne : identifiant, rôle, nom, unités, état
  add --id <id> --name <nom> --role <rôle> [--units "A,B"] [--rpps <11 chiffres>]
  disable --id <id>
  enable --id <id>
  reset-password --id <id>
  issue-cert --id <id>                   délivre un certificat personnel de TEST (PKCS#12) et l'enregistre
  init-demo                              annuaire et PKI de démonstration (sans effet si un annuaire existe)

Le mot de passe (add, reset-password) est lu dans la variable d'environnement ${PASSWORD_ENV}
ou sur l'entrée standard ; jamais sur la ligne de commande. Le code PIN (issue-cert) de même,
dans ${PIN_ENV} ou sur l'entrée standard.
Rôles : ${ROLES.join(', ')}.`;

class UsageError extends Error {}

async function readPassword(io: CliIo, prompt: string, envName = PASSWORD_ENV): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY) {
    const first = await promptHidden(io, prompt);
    const second = await promptHidden(io, 'Confirmez le mot de passe : ');
    if (first !== second) throw new UsageError('Les deux saisies du mot de passe diffèrent.');
    return first;
  }
  // Piped input: the first line is the password.
  const rl = createInterface({ input: io.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  throw new UsageError(`Secret absent : définissez ${envName} ou envoyez-le sur l'entrée standard.`);
}

/** Reads a line on a terminal without echoing it. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  return new Promise((resolve) => {
    io.stderr.write(prompt);
    const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      io.stderr.write('\n');
      resolve(answer);
    });
  });
}

function requireOption(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`Option --${name} obligatoire.`);
  return v;
}

export async function runUsersCli(argv: string[], io: CliIo): Promise<number> {
  const out = (s: string) => io.stdout.write(s + '\n');
  const err = (s: string) => io.stderr.write(s + '\n');
  try {
    if (argv.some((a) => /^--(password|pin)(=|$)/.test(a))) {
      throw new UsageError(`Le mot de passe ou le code PIN ne se passe pas sur la ligne de commande : utilisez ${PASSWORD_ENV} / ${PIN_ENV} ou l'entrée standard.`);
    }
    let parsed;
    try {
      parsed = parseCliArgs(
        argv,
        {
          'data-dir': { type: 'string' },
          id: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          units: { type: 'string' },
          rpps: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        true,
      );
    } catch (e) {
      if (e instanceof CliUsageError) throw new UsageError(e.message);
      throw e;
    }
    const { values, positionals } = parsed;
    if (values.help) {
      out(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Commande manquante.' : `Une seule commande attendue, reçu : ${positionals.join(' ')}.`);
    const command = positionals[0]!;
    const dataDir = requireOption(values, 'data-dir');

    switch (command) {
      case 'list': {
        const users = await openUserDirectory(dataDir);
        if (users.isEmpty()) err(`Aucun utilisateur dans ${dataDir}.`);
        for (const u of users.list()) {
          out([u.id, u.role, u.displayName, u.units.join(',') || '-', u.disabled ? 'désactivé' : 'actif'].join('\t'));
        }
        return 0;
      }
      case 'add': {
        const id = requireOption(values, 'id');
        const name = requireOption(values, 'name');
        const role = requireOption(values, 'role');
        if (!isRole(role)) throw new UsageError(`Rôle inconnu « ${role} ». Rôles possibles : ${ROLES.join(', ')}.`);
        const units = values.units ? values.units.split(',').map((u) => u.trim()).filter(Boolean) : [];
        const users = await openUserDirectory(dataDir);
        const password = await readPassword(io, `Mot de passe de ${id} : `);
        const user = await users.add({ id, displayName: name, role, units, rpps: values.rpps, password });
        out(`Utilisateur ajouté : ${user.id} (${ROLE_LABELS[user.role]}).`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const users = await openUserDirectory(dataDir);
        const id = requireOption(values, 'id');
        const user = command === 'disable' ? await users.disable(id) : await users.enable(id);
        out(`Compte ${user.id} ${user.disabled ? 'désactivé' : 'réactivé'}.`);
        return 0;
      }
      case 'reset-password': {
        const users = await openUserDirectory(dataDir);
        const id = requireOption(values, 'id');
        if (!users.get(id)) {
          err(`Utilisateur inconnu « ${id} ».`);
          return 1;
        }
        await users.resetPassword(id, await readPassword(io, `Nouveau mot de passe de ${id} : `));
        out(`Mot de passe de ${id.trim().toLowerCase()} réinitialisé.`);
        return 0;
      }
      case 'issue-cert': {
        const users = await openUserDirectory(dataDir);
        const id = requireOption(values, 'id');
        if (!users.get(id)) {
          err(`Utilisateur inconnu « ${id} ».`);
          return 1;
        }
        const pin = await readPassword(io, `Code PIN du certificat de ${id} : `, PIN_ENV);
        const result = await enrollUserCertificate(dataDir, users, id, pin);
        out(`Certificat de TEST délivré et enregistré pour ${result.user.id} : ${result.p12Path}`);
        return 0;
      }
      case 'init-demo': {
        const result = await initDemo(dataDir);
        if (!result.created) {
          out(`Un annuaire existe déjà dans ${dataDir} : rien n'a été modifié.`);
          return 0;
        }
        out(`Données de démonstration créées dans ${dataDir} (PKI de TEST, comptes de démonstration) :`);
        for (const a of result.accounts) {
          out([a.id, a.role, a.displayName, `mot de passe : ${a.password}`, `PIN : ${a.pin}`, a.p12Path ?? ''].join('\t'));
        }
        return 0;
      }
      default:
        throw new UsageError(`Commande inconnue « ${command} ».`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`Erreur : ${e.message}`);
      err(USAGE);
      return 2;
    }
    if (isAuthError(e)) {
      err(`Erreur : ${e.message}`);
      return 1;
    }
    err(`Erreur inattendue : ${(e as Error).message}`);
    return 1;
  }
}
