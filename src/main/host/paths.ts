import { readFileSync } from 'node:fs';
import path from 'node:path';

/** --data-dir, then WORKSTATION_DATA_DIR, then the demo data dir of this checkout. */
export function resolveDataDir(cliValue: string | undefined, projectRoot: string): string {
  const chosen = cliValue ?? process.env.WORKSTATION_DATA_DIR ?? path.join(projectRoot, '.data', 'demo');
  return path.resolve(chosen);
}

export function readAppVersion(projectRoot: string): string {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
