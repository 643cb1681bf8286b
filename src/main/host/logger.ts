/**
 * Operational log of the host core. It never receives patient data, passwords,
 * PINs or tokens: callers log events and identifiers of *software* objects only.
 * (Accesses to patient data go to the signed audit journal, not here.)
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEYS = /pass|pin|token|secret|key|authorization|cookie/i;

function redact(fields?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : v;
  return out;
}

export function createConsoleLogger(prefix = 'host'): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) => {
    const f = redact(fields);
    return `[${prefix}] ${level} ${message}${f ? ' ' + JSON.stringify(f) : ''}`;
  };
  return {
    info: (m, f) => console.log(line('info', m, f)),
    warn: (m, f) => console.warn(line('warn', m, f)),
    error: (m, f) => console.error(line('error', m, f)),
  };
}

/** Collects lines in memory: tests assert on them (e.g. that no secret leaks). */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string, f?: Record<string, unknown>) => {
    lines.push(`${level} ${m}${f ? ' ' + JSON.stringify(redact(f)) : ''}`);
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
