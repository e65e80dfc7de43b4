// The raw-phrasing patterns against real chai / vitest failure messages (produced
// here by failing assertions) and against sentences that must not be flagged.
import { describe, expect, it } from 'vitest';
import { rawPhrasingIn } from './raw-phrasing.ts';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('the assertion did not fail');
}

async function rejectionOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => {
      throw new Error('the assertion did not fail');
    },
    (e: Error) => e.message,
  );
}

describe('raw assertion phrasing', () => {
  it('flags every real chai / vitest / runtime message', async () => {
    const real = [
      messageOf(() => expect(null).not.toBeNull()),
      messageOf(() => expect([1]).toEqual([])),
      messageOf(() => expect(-1).toBeGreaterThanOrEqual(60)),
      messageOf(() => expect(undefined).toBeDefined()),
      messageOf(() => expect('drone').toBe('queen')),
      messageOf(() => expect({ a: 1 }).toMatchObject({ a: 2 })),
      messageOf(() => expect([1, 2]).toHaveLength(1)),
      messageOf(() => expect('abc').toMatch(/x/)),
      messageOf(() => expect(['a']).toContain('b')),
      messageOf(() => expect(3, 'actions missing').toBe(0)),
      messageOf(() => expect(true).toBe(false)),
      messageOf(() => expect(undefined).toBeInstanceOf(Error)),
      messageOf(() => expect(new Error('boom')).toBeUndefined()),
      messageOf(() => expect(new Map([[1, 2]])).toEqual(new Map())),
      messageOf(() => expect(1.5).toBeLessThanOrEqual(1)),
      messageOf(() => (null as unknown as { x: number }).x),
      messageOf(() => (undefined as unknown as () => void)()),
      await rejectionOf(expect(Promise.resolve(1)).rejects.toThrow()),
    ];
    for (const m of real) expect(rawPhrasingIn(m), m).not.toEqual([]);
  });

  it('does not flag sentences that say what was expected and seen', () => {
    const sentences = [
      '70 requests from one client, none refused (limit 60/min)',
      'expected 3 signatures, saw 2',
      'expected the queens to agree on window 7; q4 and q5 did not vote',
      'the outcome of job fb-x names the fallback reason\n  expected "invalid_endpoint" · found "ok"',
      'a certificate-less client attached as queen_primary: the server must refuse it',
      'median cold boot 312 ms over 5 boots, budget 200 ms',
      '/api/status does not match its schema\n  at /workers/0/uptime · expected integer · found string',
    ];
    for (const s of sentences) expect(rawPhrasingIn(s), s).toEqual([]);
  });
});
