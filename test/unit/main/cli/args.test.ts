import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from '../../../../src/main/cli/args';

const OPTIONS = { port: { type: 'string' }, lenient: { type: 'boolean' }, trust: { type: 'string', multiple: true } } as const;

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(CliUsageError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('parseCliArgs', () => {
  it('reads --name value, --name=value, booleans, repeated options and positionals', () => {
    const r = parseCliArgs(['verify', '--port', '80', '--lenient', '--trust=a.pem', '--trust', 'b.pem', 'x'], OPTIONS, true);
    expect(r.values).toEqual({ port: '80', lenient: true, trust: ['a.pem', 'b.pem'] });
    expect(r.positionals).toEqual(['verify', 'x']);
  });

  it('answers in French for an unknown option, a missing or unexpected value, a positional', () => {
    expect(usageError(() => parseCliArgs(['--frob'], OPTIONS))).toBe('Option inconnue : --frob.');
    expect(usageError(() => parseCliArgs(['--port'], OPTIONS))).toBe('L’option --port attend une valeur.');
    expect(usageError(() => parseCliArgs(['--port', '--lenient'], OPTIONS))).toBe('L’option --port attend une valeur.');
    expect(usageError(() => parseCliArgs(['--lenient=oui'], OPTIONS))).toBe('L’option --lenient ne prend pas de valeur.');
    expect(usageError(() => parseCliArgs(['verify'], OPTIONS))).toBe('Argument inattendu : verify.');
  });
});
