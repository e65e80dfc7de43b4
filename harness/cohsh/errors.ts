// Typed failures of the cohsh console: an `ERR <VERB> reason=... detail=...`
// reply, or the connection closing where a reply was due.

export interface ErrReply {
  verb: string;
  reason: string;
  detail?: string;
  fields: Record<string, string>;
  line: string;
}

/** `ERR AUTH reason=invalid-token` → { verb: 'AUTH', reason: 'invalid-token', ... }; null when not an ERR line */
export function parseErr(line: string): ErrReply | null {
  const m = /^ERR\s+(\S+)(.*)$/.exec(line);
  if (!m) return null;
  const fields = parseFields(m[2] ?? '');
  return { verb: m[1]!, reason: fields.reason ?? '', detail: fields.detail, fields, line };
}

/** key=value pairs; a value runs to the next ` key=` (data= may hold spaces) */
export function parseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(\w+)=(.*?)(?=\s+\w+=|$)/g;
  for (const m of text.trim().matchAll(re)) out[m[1]!] = m[2]!;
  return out;
}

export class CohshError extends Error {
  constructor(
    readonly reply: ErrReply,
    readonly request: string,
  ) {
    super(`cohsh ${request.split(' ')[0]}: ${reply.line}`);
    this.name = 'CohshError';
  }
  get verb(): string {
    return this.reply.verb;
  }
  get reason(): string {
    return this.reply.reason;
  }
}

/** the console closed the connection instead of replying (a documented release behaviour for AUTH) */
export class CohshClosedError extends Error {
  constructor(
    readonly request: string,
    readonly lastLine: string | undefined,
  ) {
    super(
      `cohsh: connection closed while waiting for the reply to ${request.split(' ')[0]} (last line: ${lastLine ?? 'none'})`,
    );
    this.name = 'CohshClosedError';
  }
}

/**
 * The console reset the connection (TCP RST) instead of replying: a release does
 * this while another session is open or while it re-arms after one. Unlike a
 * clean close (a wrong token), it is worth another attempt.
 */
export class CohshResetError extends CohshClosedError {
  constructor(
    request: string,
    lastLine: string | undefined,
    readonly code: string,
  ) {
    super(request, lastLine);
    this.message = `cohsh: connection reset (${code}) while waiting for the reply to ${request.split(' ')[0]} (last line: ${lastLine ?? 'none'})`;
    this.name = 'CohshResetError';
  }
}
