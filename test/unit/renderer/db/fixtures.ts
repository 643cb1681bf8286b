/**
 * test/support/fixtures.ts is Node code (node:fs) outside the web type-check; renderer tests
 * load it at run time (vitest runs them under Node with happy-dom) through this typed door.
 */
export interface FixturesApi {
  hasFixtures: boolean;
  readFixture(...parts: string[]): string;
  listFixtures(folder: string): string[];
}

const SUPPORT: string = '../../../support/fixtures';

export function loadFixturesApi(): Promise<FixturesApi> {
  return import(/* @vite-ignore */ SUPPORT) as Promise<FixturesApi>;
}
