// The reference queens as separate processes: quorum, faults, fallback, triggers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startQueenCluster, type RunningCluster } from '../../reference/queens/cluster.ts';
import { ConsensusError, replayVote, type VoteOutcome } from '../../harness/trace/consensus.ts';
import { exchange } from '../../contract/trace/tls-jsonl.ts';
import { QueenClient } from '../../harness/trace/queen-client.ts';
import { ensureTestPki, issuePeerCert, SHARED_PKI_DIR } from '../../reference/pki/index.ts';

let cluster: RunningCluster;
let client: QueenClient;
const ALL = ['q1', 'q2', 'q3', 'q4', 'q5'];
let n = 0;
const events = (k: number, size = 40): unknown[] =>
  Array.from({ length: k }, () => ({
    ts: ++n,
    agent: 'queen_primary',
    event: 'write',
    detail: `/srv/x/${n}/${'d'.repeat(size)}`,
    ok: true,
  }));

beforeAll(async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'queens-test-'));
  cluster = await startQueenCluster({
    count: 5,
    stateDir,
    stateRoot: stateDir,
    voteTimeoutMs: 1000,
    segmentAgeMs: 800,
  });
  // the checker's own client, as the trace fixtures use it
  client = new QueenClient(cluster.resources);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

beforeEach(async () => {
  await client.clearFaults();
  await client.useMembers(ALL);
});

function nsFiles(id: string, dir: string): string[] {
  const q = cluster.resources.queens.find((x) => x.id === id)!;
  const full = join(q.nsRoot, 'srv', 'trace', dir);
  return existsSync(full) ? readdirSync(full) : [];
}

describe('reference queens', () => {
  it('a healthy quorum accepts, every queen commits the same ring, and the log replays', async () => {
    const c = client;
    const outcome = await c.sync('q1', events(3));
    expect(outcome).toMatchObject({ accepted: true, required: 4, rejected: [] });
    expect(outcome.signers.map((s) => s.peer).sort()).toEqual(ALL);
    const statuses = await Promise.all(ALL.map((id) => c.status(id)));
    expect(new Set(statuses.map((s) => s.snapshot.ringRoot)).size).toBe(1);
    expect(statuses.every((s) => s.snapshot.id === outcome.windowId)).toBe(true);
    const q1 = cluster.resources.queens[0]!;
    const log = JSON.parse(readFileSync(join(q1.nsRoot, outcome.files.consensusLog), 'utf8')) as VoteOutcome;
    expect(replayVote(log)).toMatchObject({ ok: true });
    expect(nsFiles('q3', 'consensus').length).toBeGreaterThan(0);
    expect(existsSync(join(q1.nsRoot, 'srv/trace/current.snapshot'))).toBe(true);
  });

  it('4 queens with 1 corrupt signature still accept and name the bad peer', async () => {
    const c = client;
    await c.useMembers(['q1', 'q2', 'q3', 'q4']);
    await c.fault('q4', { corruptSignature: true });
    const outcome = await c.sync('q1', events(2));
    expect(outcome.accepted).toBe(true);
    expect(outcome.rejected).toEqual([{ peer: 'q4', reason: expect.stringMatching(/signature/) }]);
  });

  it('below 2/3 it falls back, writes the fault file and raises an actionable ConsensusError', async () => {
    const c = client;
    await c.sync('q1', events(1));
    const before = await c.status('q1');
    await c.fault('q4', { partition: true });
    await c.fault('q5', { delayMs: 3000 });
    const err = await c.sync('q1', events(4)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsensusError);
    const ce = err as ConsensusError;
    expect(ce.message).toMatch(/3 of 5 signatures valid, 4 required/);
    expect(ce.message).toMatch(/q4 \(unreachable/);
    expect(ce.message).toMatch(/q5 \(no vote within 1000 ms/);
    expect(ce.message).toMatch(/Fix:/);
    const after = await c.status('q1');
    expect(after.snapshot.id).toBe(before.snapshot.id);
    expect(after.ringRoot).toBe(before.snapshot.ringRoot);
    const q1 = cluster.resources.queens[0]!;
    const fault = JSON.parse(readFileSync(join(q1.nsRoot, ce.outcome!.files.faultFile!), 'utf8')) as {
      error: string;
      rejected: unknown[];
    };
    expect(fault).toMatchObject({
      error: 'ConsensusError',
      rejected: [expect.objectContaining({ peer: 'q4' }), expect.objectContaining({ peer: 'q5' })],
    });
  });

  it('names a peer whose Merkle root is skewed', async () => {
    await client.fault('q2', { skewHash: true });
    const outcome = await client.sync('q3', events(2));
    expect(outcome.accepted).toBe(true);
    expect(outcome.rejected).toEqual([{ peer: 'q2', reason: expect.stringMatching(/Merkle root/) }]);
  });

  it('peers refuse an unsigned segment', async () => {
    await client.fault('q1', { unsignedSegment: true });
    const err = (await client.sync('q1', events(1)).catch((e: unknown) => e)) as ConsensusError;
    expect(err).toBeInstanceOf(ConsensusError);
    expect(err.outcome!.rejected).toHaveLength(4);
    expect(err.outcome!.rejected.every((r) => /segment signature missing or invalid/.test(r.reason))).toBe(
      true,
    );
  });

  it('a segment past 4 KB starts a vote by itself', async () => {
    const c = client;
    await c.append('q2', events(40, 120));
    await expect
      .poll(async () => (await c.status('q2')).lastVote?.trigger, { timeout: 5000, interval: 50 })
      .toBe('size');
    expect((await c.status('q2')).pending).toBe(0);
  });

  it('a segment older than the age limit starts a vote by itself', async () => {
    const c = client;
    await c.append('q3', events(1));
    await expect
      .poll(async () => (await c.status('q3')).lastVote?.trigger, { timeout: 5000, interval: 50 })
      .toBe('age');
  });

  it('a checkpoint hash mismatch starts a vote on the diverged queen', async () => {
    const c = client;
    await c.fault('q5', { partition: true });
    await c.sync('q1', events(1)); // 4 of 5: q5 misses the commit and diverges
    await c.fault('q5', {});
    const peers = await c.checkpoint('q1');
    expect(peers.find((p) => p.peer === 'q5')).toMatchObject({ mismatch: true });
    expect(peers.filter((p) => p.peer !== 'q5').every((p) => p.mismatch === false)).toBe(true);
    await expect
      .poll(async () => (await c.status('q5')).lastVote?.trigger, { timeout: 5000, interval: 50 })
      .toBe('checkpoint-mismatch');
  });

  it('answers garbage with an error and keeps serving', async () => {
    const q1 = cluster.resources.queens[0]!;
    const c = cluster.resources.controller;
    const ctl = {
      ca: readFileSync(c.ca, 'utf8'),
      cert: readFileSync(c.cert, 'utf8'),
      key: readFileSync(c.key, 'utf8'),
    };
    const bad = await exchange<{ error?: { name: string; message: string } }>(q1, ctl, 'not an object', {
      timeoutMs: 5000,
      what: 'garbage',
    });
    expect(bad.error?.name).toBeDefined();
    await expect(client.control('q1', 'launch-missiles')).rejects.toThrow(
      /unknown command "launch-missiles"/,
    );
    await expect(client.control('q1', 'configure', { members: [{ id: 'q1' }] })).rejects.toThrow(
      /configure needs members/,
    );
    expect((await client.status('q1')).id).toBe('q1');
  });

  it('refuses control from a peer certificate and votes from the controller certificate', async () => {
    const q1 = cluster.resources.queens[0]!;
    const q2 = await issuePeerCert(await ensureTestPki(SHARED_PKI_DIR), 'q2');
    const asPeer = {
      ca: readFileSync(cluster.resources.controller.ca, 'utf8'),
      cert: readFileSync(q2.cert, 'utf8'),
      key: readFileSync(q2.key, 'utf8'),
    };
    const r = await exchange<{ error?: { name: string } }>(
      q1,
      asPeer,
      { type: 'control', cmd: 'status' },
      { timeoutMs: 5000, what: 'control as peer' },
    );
    expect(r.error?.name).toBe('Forbidden');
    const asCtl = {
      ...asPeer,
      cert: readFileSync(cluster.resources.controller.cert, 'utf8'),
      key: readFileSync(cluster.resources.controller.key, 'utf8'),
    };
    const v = await exchange<{ error?: { name: string } }>(
      q1,
      asCtl,
      { type: 'propose', from: 'q2' },
      { timeoutMs: 5000, what: 'vote as controller' },
    );
    expect(v.error?.name).toBe('Forbidden');
    // the CA is shared with the other reference services: their certificates are no queen's
    const agent = (await ensureTestPki(SHARED_PKI_DIR)).agents.queen_primary!;
    const asAgent = {
      ...asPeer,
      cert: readFileSync(agent.cert, 'utf8'),
      key: readFileSync(agent.key, 'utf8'),
    };
    const ctl = await exchange<{ error?: { name: string } }>(
      q1,
      asAgent,
      { type: 'control', cmd: 'status' },
      { timeoutMs: 5000, what: 'control as agent' },
    );
    expect(ctl.error?.name).toBe('Forbidden');
    const vote = await exchange<{ type?: string; reason?: string }>(
      q1,
      asAgent,
      { type: 'propose', from: 'queen_primary' },
      { timeoutMs: 5000, what: 'vote as agent' },
    );
    expect(vote).toMatchObject({ type: 'refuse', reason: expect.stringMatching(/not a member/) });
  });
});
