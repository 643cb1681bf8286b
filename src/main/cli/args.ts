import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the CLI cannot run: the message is French and meant for the person typing it. */
export class CliUsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util's error text, in French (its codes are stable, its English messages are not for users). */
function frenchMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const quoted = /'([^' <]+)/.exec(err.message ?? '')?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Option inconnue : ${quoted}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(err.message ?? '') ? `L’option ${quoted} ne prend pas de valeur.` : `L’option ${quoted} attend une valeur.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Argument inattendu : ${quoted}.`;
    default:
      return `Arguments illisibles : ${err.message ?? String(e)}`;
  }
}

/**
 * The one argument parser of the command-line tools: node:util's parseArgs in strict mode, its
 * errors thrown as CliUsageError with a French message.
 */
export function parseCliArgs<const O extends Options, const P extends boolean = false>(
  args: string[],
  options: O,
  allowPositionals?: P,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: P; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: (allowPositionals ?? false) as P, strict: true });
  } catch (e) {
    throw new CliUsageError(frenchMessage(e));
  }
}
