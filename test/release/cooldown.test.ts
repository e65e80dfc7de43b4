// The cooldown case's judge: the documented outcomes (a refused connection,
// an ERR … RateLimited reply) and what is neither, from the real client errors.
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { cooldownOutcome } from '../../harness/release/cooldown.ts';
import { CohshClosedError, CohshError, parseErr } from '../../harness/cohsh/errors.ts';
import { CohshClient } from '../../harness/cohsh/client.ts';

/** a port nothing listens on */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('cooldown outcome', () => {
  it('a refused connection is a documented outcome, and says so', async () => {
    const e = await CohshClient.connect('127.0.0.1', await closedPort(), { timeoutMs: 2000 }).catch(
      (x: Error) => x,
    );
    expect(e).toBeInstanceOf(Error);
    const o = cooldownOutcome(e as Error);
    expect(o).toMatchObject({ refused: true, how: 'refused connection' });
    expect(o.seen).toMatch(/^refused the connection \(.*ECONNREFUSED/);
    expect(cooldownOutcome(new CohshClosedError('AUTH', undefined))).toEqual({
      refused: true,
      how: 'refused connection',
      seen: 'refused the connection (closed at AUTH, no reply)',
    });
  });

  it('an ERR … RateLimited reply is the other documented outcome', () => {
    const err = new CohshError(parseErr('ERR AUTH reason=RateLimited detail=cooldown')!, 'AUTH');
    expect(cooldownOutcome(err)).toEqual({
      refused: true,
      how: 'RateLimited reply',
      seen: 'answered RateLimited (cohsh AUTH: ERR AUTH reason=RateLimited detail=cooldown)',
    });
  });

  it('an accepted token or another answer is no cooldown', () => {
    expect(cooldownOutcome({ line: 'OK AUTH' })).toEqual({
      refused: false,
      seen: 'accepted the right token (OK AUTH)',
    });
    const other = new CohshError(parseErr('ERR AUTH reason=invalid-token')!, 'AUTH');
    expect(cooldownOutcome(other)).toEqual({
      refused: false,
      seen: 'answered neither way (CohshError: cohsh AUTH: ERR AUTH reason=invalid-token)',
    });
  });
});
