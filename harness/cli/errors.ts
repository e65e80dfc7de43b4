// How the CLI ends on an error: usage/config → 2, infrastructure → 3, with a
// message that names the place and the fix, never a stack trace (DEBUG=cohesix-qa shows it).
import { UsageError, InfraError } from '../errors.ts';

export function exitForError(
  e: unknown,
  write: (t: string) => void = (t) => process.stderr.write(t),
): number {
  const err = e as Error & { code?: string; exitCode?: number };
  if (process.env.DEBUG?.includes('cohesix-qa')) write(`${err.stack ?? String(e)}\n`);
  if (e instanceof UsageError || err?.name === 'UsageError') {
    write(`cohesix-qa: ${err.message}\n`);
    return 2;
  }
  if (e instanceof InfraError || err?.name === 'InfraError') {
    write(`cohesix-qa: infrastructure error: ${err.message}\n`);
    return 3;
  }
  write(
    `cohesix-qa: internal error: ${err?.message ?? String(e)}\n  (rerun with DEBUG=cohesix-qa for the stack; please report it)\n`,
  );
  return 3;
}
