import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** `../shared/fixtures` beside the project root: published documents, never copied here. */
export const fixturesDir = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

export const hasFixtures = existsSync(fixturesDir);

if (!hasFixtures) {
  // Said once, plainly, so a user's own clone knows why fixture tests are skipped.
  console.warn(`[fixtures] ${fixturesDir} absent: tests that read the ANS fixtures are skipped.`);
}

export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export function listFixtures(folder: string): string[] {
  if (!hasFixtures) return [];
  return readdirSync(path.join(fixturesDir, folder)).sort();
}
