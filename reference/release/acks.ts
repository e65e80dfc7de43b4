// The console's reply lines (cohsh-console.md): `OK <VERB> [key=value ...]`,
// `ERR <VERB> reason=<cause> [detail=…] [path=…] [error=…]`, every line cut to
// the 256-byte frame limit.
import { MAX_LINE_BYTES } from '../../contract/cohsh/frame.ts';

/** a line cut to the frame limit without splitting a UTF-8 character */
export function fitLine(line: string): string {
  const b = Buffer.from(line, 'utf8');
  if (b.length <= MAX_LINE_BYTES) return line;
  return b
    .subarray(0, MAX_LINE_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

export function errLine(
  verb: string,
  reason: string,
  o: { detail?: string; path?: string; error?: string } = {},
): string {
  let l = `ERR ${verb} reason=${reason}`;
  if (o.detail) l += ` detail=${o.detail}`;
  if (o.path) l += ` path=${o.path}`;
  if (o.error) l += ` error=${o.error}`;
  return fitLine(l);
}

/**
 * `OK CAT path=<p> data=<summary>`: the lines joined with `|`, cut to fit.
 * `firstLineOnly` is the console-cat-summary defect (the summary stops at the first line).
 */
export function catAck(path: string, lines: string[], firstLineOnly = false): string {
  return fitLine(`OK CAT path=${path} data=${firstLineOnly ? (lines[0] ?? '') : lines.join('|')}`);
}

/** A console command as it may be logged: the AUTH token and worker tickets are credentials. */
export function redactCommand(line: string): string {
  const t = line.trim();
  if (/^AUTH(\s|$)/.test(t)) return t === 'AUTH' ? 'AUTH' : 'AUTH <redacted>';
  if (/^ATTACH\s+\S+\s+\S/.test(t)) return t.replace(/^(ATTACH\s+\S+)\s.*$/, '$1 <ticket redacted>');
  return t;
}
