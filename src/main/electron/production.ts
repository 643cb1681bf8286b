import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { DEMO_ACCOUNTS } from '../auth/demo';
import { pkiDir } from '../auth/pki/pki';
import { usersFilePath } from '../auth/user-directory';
import type { HospitalPolicy } from '../host/policy';

/**
 * What the installed application accepts from the command line, the environment and the data dir.
 * A packaged build is production; WORKSTATION_PRODUCTION=1 asks an unpackaged build (`npm start`)
 * to behave the same. Nothing here can turn production off: it only ever adds refusals.
 */

export class LaunchRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LaunchRefused';
  }
}

export function isProduction(packaged: boolean, env: NodeJS.ProcessEnv): boolean {
  return packaged || env.WORKSTATION_PRODUCTION === '1';
}

/** Switches that move data or open a debugger: the fuses close Node's, these are Chromium's and ours. */
const REFUSED_SWITCHES: readonly { prefix: string; why: string }[] = [
  { prefix: '--data-dir', why: "le dossier de données est fixé par la politique de l'établissement" },
  { prefix: '--remote-debugging-port', why: 'le débogage à distance est désactivé' },
  { prefix: '--remote-debugging-pipe', why: 'le débogage à distance est désactivé' },
  { prefix: '--inspect', why: 'le débogage est désactivé' },
  { prefix: '--js-flags', why: 'les options du moteur JavaScript ne sont pas modifiables' },
];

/** Refuses, in production, the switches a user could add to a shortcut to reach data or a debugger. */
export function assertProductionArgs(argv: readonly string[]): void {
  for (const arg of argv) {
    const hit = REFUSED_SWITCHES.find((s) => arg === s.prefix || arg.startsWith(`${s.prefix}=`) || arg.startsWith(`${s.prefix}-`));
    if (hit) throw new LaunchRefused(`L'option ${arg.split('=')[0]} est refusée par l'application installée : ${hit.why}.`);
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A damaged file is the host's to report, with its own message.
    return null;
  }
}

const DEMO_IDS = new Set(DEMO_ACCOUNTS.map((a) => a.id));

/**
 * Refuses a data dir holding the demo accounts (public passwords in the README) or the demo PKI
 * (personal certificates whose PIN is public): in production either would open the record to anyone.
 */
export async function assertNoDemoData(dataDir: string): Promise<void> {
  const users = (await readJson(usersFilePath(dataDir))) as { users?: { id?: unknown; displayName?: unknown }[] } | null;
  const demoUser = users?.users?.find((u) => DEMO_ACCOUNTS.some((a) => a.id === u.id && a.displayName === u.displayName));
  if (demoUser) {
    throw new LaunchRefused(
      `Le dossier de données ${dataDir} contient les comptes de démonstration (dont « ${String(demoUser.id)} ») : l'application installée refuse de démarrer avec eux. Utilisez un dossier de données neuf.`,
    );
  }
  const manifest = (await readJson(path.join(pkiDir(dataDir), 'pki.json'))) as { users?: { id?: unknown }[] } | null;
  if (manifest?.users?.some((u) => typeof u.id === 'string' && DEMO_IDS.has(u.id))) {
    throw new LaunchRefused(
      `Le dossier de données ${dataDir} contient la PKI de démonstration (cartes au code PIN public) : l'application installée refuse de démarrer avec elle.`,
    );
  }
}

export interface LaunchPlan {
  production: boolean;
  dataDir: string;
  /** Fill the data dir with the demo accounts and TEST PKI (development only). */
  demo: boolean;
  /** A configured endpoint, the embedded test DMP (development only), or none. */
  dmp: { kind: 'endpoint'; servicesUrl: string; label?: string; test?: boolean } | { kind: 'embedded' } | { kind: 'none' };
  lockAfterMs?: number;
  workstationName?: string;
  regulation?: boolean;
}

export interface LaunchInput {
  packaged: boolean;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** The managed policy, null when the machine has none. */
  policy: HospitalPolicy | null;
  /** Electron's userData folder: the data dir when the policy names none. */
  defaultDataDir: string;
}

/** Decides data dir, DMP and demo for this launch; production takes them from the policy only. */
export function planLaunch(input: LaunchInput): LaunchPlan {
  const { policy } = input;
  const fromPolicy = {
    ...(policy?.lockAfterMinutes ? { lockAfterMs: policy.lockAfterMinutes * 60_000 } : {}),
    ...(policy?.workstationName ? { workstationName: policy.workstationName } : {}),
    ...(policy?.regulation ? { regulation: true } : {}),
  };
  const policyDmp = policy?.dmp ? ({ kind: 'endpoint', ...policy.dmp } as const) : undefined;
  if (isProduction(input.packaged, input.env)) {
    assertProductionArgs(input.argv);
    return { production: true, dataDir: policy?.dataDir ?? input.defaultDataDir, demo: false, dmp: policyDmp ?? { kind: 'none' }, ...fromPolicy };
  }
  const dataDirArg = input.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
  const envUrl = input.env.WORKSTATION_DMP_URL;
  const dmp = envUrl ? ({ kind: 'endpoint', servicesUrl: envUrl } as const) : (policyDmp ?? ({ kind: 'embedded' } as const));
  return {
    production: false,
    dataDir: dataDirArg ? path.resolve(dataDirArg) : (policy?.dataDir ?? input.defaultDataDir),
    demo: !dataDirArg && !policy?.dataDir,
    dmp,
    ...fromPolicy,
  };
}
