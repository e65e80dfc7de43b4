// The documented outcomes of an AUTH during the console's cooldown (three
// failures in 60 s → 90 s): the connection is refused (reset, refused, or
// closed with no reply, as releases do), or the console answers
// `ERR … RateLimited` (cohsh-console.md). Anything else — accepted, or an
// answer that is neither — means no cooldown was seen; the outcome says which.

export type CooldownOutcome =
  | { refused: true; how: 'refused connection' | 'RateLimited reply'; seen: string }
  | { refused: false; seen: string };

const REFUSED = /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|connection closed/i;

/** `r`: the AUTH reply (it was accepted), or the error connecting or authenticating met */
export function cooldownOutcome(r: { line: string } | Error): CooldownOutcome {
  if (!(r instanceof Error)) return { refused: false, seen: `accepted the right token (${r.line})` };
  if (/RateLimited/.test(r.message))
    return { refused: true, how: 'RateLimited reply', seen: `answered RateLimited (${r.message})` };
  if (r.name === 'CohshClosedError')
    return {
      refused: true,
      how: 'refused connection',
      seen: 'refused the connection (closed at AUTH, no reply)',
    };
  if (REFUSED.test(r.message))
    return { refused: true, how: 'refused connection', seen: `refused the connection (${r.message})` };
  return { refused: false, seen: `answered neither way (${r.name}: ${r.message})` };
}
