// The queen protocol in one process (messages handed over directly instead of
// TLS): quick checks of the quorum rule, the defect modes and bad input.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queen, type Member } from '../../reference/queens/queen.ts';
import { requiredSignatures } from '../../harness/trace/consensus.ts';
import { ConsensusError, quorumOf } from '../../reference/queens/quorum.ts';
import { ExchangeError } from '../../contract/trace/tls-jsonl.ts';

function cluster(n: number, defect?: string): Queen[] {
  const queens: Queen[] = [];
  const byId = new Map<string, Queen>();
  for (let i = 1; i <= n; i++) {
    const id = `q${i}`;
    const q = new Queen({
      id,
      nsRoot: mkdtempSync(join(tmpdir(), `queen-${id}-`)),
      defect,
      voteTimeoutMs: 100,
      segmentAgeMs: 60_000,
      send: async (m: Member, msg: unknown, timeoutMs: number) => {
        const target = byId.get(m.id)!;
        const reply = await Promise.race([
          target.handlePeer(JSON.parse(JSON.stringify(msg)) as Record<string, unknown>, id),
          new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs)),
        ]);
        if (reply === 'timeout')
          throw new ExchangeError(`${id} -> ${m.id}: no reply within ${timeoutMs} ms`, 'timeout');
        if (reply === undefined) throw new ExchangeError(`${id} -> ${m.id}: connection closed`, 'closed');
        return reply;
      },
    });
    queens.push(q);
    byId.set(id, q);
  }
  const members = queens.map((q, i) => ({
    id: q.id,
    host: '127.0.0.1',
    port: 1000 + i,
    publicKey: q.keys.publicKeyPem,
  }));
  for (const q of queens) q.members = members;
  return queens;
}

const ev = (i: number) => ({ ts: i, agent: 'queen_primary', event: 'write', detail: `/srv/${i}`, ok: true });

describe('queen protocol', () => {
  it('needs ceil(2n/3) signatures', () => {
    expect([3, 4, 5].map(requiredSignatures)).toEqual([2, 3, 4]);
  });

  // the harness's expected quorum and the queens' own count are written apart (#16)
  it('the reference queens count the same quorum the harness expects, for 1 to 30 members', () => {
    for (let n = 1; n <= 30; n++)
      expect(quorumOf(n), `signatures the queens require of ${n} members`).toBe(requiredSignatures(n));
  });

  it('accepts with exactly 2 of 3 and refuses with 1 of 3', async () => {
    const qs = cluster(3);
    qs[2]!.faults = { partition: true };
    await expect(qs[0]!.vote('sync', [ev(1)])).resolves.toMatchObject({ accepted: true, required: 2 });
    qs[1]!.faults = { skewHash: true };
    await expect(qs[0]!.vote('sync', [ev(2)])).rejects.toBeInstanceOf(ConsensusError);
    qs.forEach((q) => q.stop());
  });

  it('consensus-accepts-minority accepts 3 of 5', async () => {
    const qs = cluster(5, 'consensus-accepts-minority');
    qs[3]!.faults = { partition: true };
    qs[4]!.faults = { partition: true };
    await expect(qs[0]!.vote('sync', [ev(1)])).resolves.toMatchObject({ accepted: true, required: 3 });
    qs.forEach((q) => q.stop());
  });

  it('consensus-unsigned-segment lets peers vote on an unsigned segment', async () => {
    const good = cluster(3);
    good[0]!.faults = { unsignedSegment: true };
    await expect(good[0]!.vote('sync', [ev(1)])).rejects.toThrow(/segment signature missing or invalid/);
    const bad = cluster(3, 'consensus-unsigned-segment');
    bad[0]!.faults = { unsignedSegment: true };
    await expect(bad[0]!.vote('sync', [ev(1)])).resolves.toMatchObject({ accepted: true });
    [...good, ...bad].forEach((q) => q.stop());
  });

  it('falls back to the snapshot after a failed vote; consensus-no-fallback keeps the rejected window', async () => {
    for (const defect of [undefined, 'consensus-no-fallback']) {
      const qs = cluster(3, defect);
      await qs[0]!.vote('sync', [ev(1)]);
      const before = qs[0]!.status() as { ringRoot: string; snapshot: { ringRoot: string } };
      qs[1]!.faults = { partition: true };
      qs[2]!.faults = { partition: true };
      const err = (await qs[0]!.vote('sync', [ev(2), ev(3)]).catch((e: unknown) => e)) as ConsensusError;
      expect(err).toBeInstanceOf(ConsensusError);
      const fault = JSON.parse(
        readFileSync(
          join((qs[0] as unknown as { opts: { nsRoot: string } }).opts.nsRoot, err.outcome!.files.faultFile!),
          'utf8',
        ),
      ) as { valid: number };
      expect(fault.valid).toBe(1);
      const after = qs[0]!.status() as { ringRoot: string; snapshot: { ringRoot: string } };
      expect(after.snapshot.ringRoot).toBe(before.snapshot.ringRoot);
      if (defect) expect(after.ringRoot).not.toBe(before.ringRoot);
      else expect(after.ringRoot).toBe(before.ringRoot);
      qs.forEach((q) => q.stop());
    }
  });

  it('refuses replayed nonces, strangers, mismatched TLS identities and unknown messages', async () => {
    const qs = cluster(3);
    const [q1, q2] = [qs[0]!, qs[1]!];
    let captured: Record<string, unknown> | undefined;
    const realSend = (
      q1 as unknown as { opts: { send: (m: Member, msg: unknown, t: number) => Promise<unknown> } }
    ).opts;
    const send = realSend.send;
    realSend.send = async (m, msg, t) => {
      captured ??= msg as Record<string, unknown>;
      return send(m, msg, t);
    };
    await q1.vote('sync', [ev(1)]);
    expect(await q2.handlePeer(captured!, 'q1')).toMatchObject({
      type: 'refuse',
      reason: expect.stringMatching(/nonce/),
    });
    expect(await q2.handlePeer({ ...captured!, from: 'q9' }, 'q9')).toMatchObject({
      type: 'refuse',
      reason: expect.stringMatching(/not a member/),
    });
    expect(await q2.handlePeer(captured!, 'q3')).toMatchObject({
      type: 'refuse',
      reason: expect.stringMatching(/TLS identity q3/),
    });
    expect(await q2.handlePeer({ type: 'gossip', from: 'q1' }, 'q1')).toMatchObject({
      type: 'refuse',
      reason: expect.stringMatching(/unknown message/),
    });
    const forged = { ...captured!, nonce: 'ab'.repeat(16), events: [ev(99)] };
    expect(await q2.handlePeer(forged, 'q1')).toMatchObject({
      type: 'refuse',
      reason: expect.stringMatching(/signature/),
    });
    qs.forEach((q) => q.stop());
  });
});
