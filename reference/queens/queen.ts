// One reference queen: a trace ring buffer, pending events not yet agreed, and
// the consensus protocol of the contract:
// - a vote starts when the pending segment passes 4 KB or 1 s of age, when a
//   peer's checkpoint hash differs from ours, or on an explicit sync;
// - the initiator sends its signed segment with a fresh nonce to every member;
//   each peer checks the sender's TLS identity and signature, computes the Merkle
//   root of the window itself, and answers with a signed vote over (window, nonce, root);
// - with ≥ 2/3 of the members' signatures (the initiator's own counts) over the
//   initiator's root the window is committed everywhere, else every node falls
//   back to its last good snapshot, the initiator writes a fault file and raises
//   ConsensusError naming each peer that did not sign and why.
// Files (under the queen's namespace root): /srv/trace/consensus/<ts>.log (one per
// vote), /srv/trace/fault/<ts>.error, /srv/trace/current.snapshot.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { rootOfWindow } from './window-root.ts';
import { canonicalForm } from './canonical-form.ts';
import type { PeerRejection, VoteOutcome, VoteTrigger } from '../../contract/trace/vote.ts';
import { ConsensusError, majorityOf, quorumOf } from './quorum.ts';
import { ExchangeError } from '../../contract/trace/tls-jsonl.ts';
import { corrupt, newSessionKeys, signMessage, verifyMessage, type SessionKeys } from './signing.ts';

export interface Member {
  id: string;
  host: string;
  port: number;
  publicKey: string;
}

export interface Faults {
  /** drop all peer traffic, both ways */
  partition?: boolean;
  /** sign with a corrupted signature (votes, segments, commits) */
  corruptSignature?: boolean;
  /** vote with a wrong Merkle root (correctly signed) */
  skewHash?: boolean;
  /** answer segments only after this many ms */
  delayMs?: number;
  /** send segments without a signature */
  unsignedSegment?: boolean;
}

export interface QueenOptions {
  id: string;
  /** this queen's namespace root (a local folder) */
  nsRoot: string;
  voteTimeoutMs?: number;
  segmentBytes?: number;
  segmentAgeMs?: number;
  ringCapacity?: number;
  defect?: string;
  /** how a message reaches a member; rejects with ExchangeError when it does not */
  send(member: Member, message: unknown, timeoutMs: number): Promise<unknown>;
}

interface Snapshot {
  id: string;
  ts: string;
  windowRoot: string;
  ringRoot: string;
  events: unknown[];
}

interface Tentative {
  from: string;
  windowId: string;
  nonce: string;
  events: unknown[];
}

type Msg = Record<string, unknown>;

const MAX_TENTATIVE = 64;
const MAX_NONCES = 4096;

function short(root: string): string {
  return root.slice(0, 12);
}

export class Queen {
  readonly id: string;
  readonly keys: SessionKeys = newSessionKeys();
  members: Member[] = [];
  faults: Faults = {};
  private ring: unknown[] = [];
  private pending: unknown[] = [];
  private pendingBytes = 0;
  private pendingSince = 0;
  private snapshot: Snapshot;
  private readonly tentative = new Map<string, Tentative>();
  private readonly nonces = new Set<string>();
  private voting: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private windowSeq = 0;
  lastVote?: VoteOutcome;
  private readonly timer: NodeJS.Timeout;
  private readonly voteTimeoutMs: number;
  private readonly segmentBytes: number;
  private readonly segmentAgeMs: number;
  private readonly ringCapacity: number;

  constructor(private readonly opts: QueenOptions) {
    this.id = opts.id;
    this.voteTimeoutMs = opts.voteTimeoutMs ?? 500;
    this.segmentBytes = opts.segmentBytes ?? 4096;
    this.segmentAgeMs = opts.segmentAgeMs ?? 1000;
    this.ringCapacity = opts.ringCapacity ?? 2048;
    this.snapshot = {
      id: 'genesis',
      ts: '0',
      windowRoot: rootOfWindow([]),
      ringRoot: rootOfWindow([]),
      events: [],
    };
    this.writeSnapshot();
    // the age trigger: a segment older than segmentAgeMs is voted on even if small
    this.timer = setInterval(
      () => {
        if (
          this.pending.length > 0 &&
          this.members.length > 0 &&
          Date.now() - this.pendingSince >= this.segmentAgeMs
        ) {
          this.vote('age').catch(() => undefined);
        }
      },
      Math.min(100, this.segmentAgeMs),
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private path(...parts: string[]): string {
    return join(this.opts.nsRoot, ...parts);
  }

  /** A u64 timestamp in ns for file names, unique within this queen. */
  private stamp(): string {
    return (BigInt(Date.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString();
  }

  private writeFileAtomic(nsPath: string, content: string): void {
    const file = this.path(...nsPath.split('/').filter(Boolean));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(`${file}.tmp`, content);
    renameSync(`${file}.tmp`, file);
  }

  private writeSnapshot(): string {
    this.writeFileAtomic('/srv/trace/current.snapshot', `${JSON.stringify(this.snapshot)}\n`);
    return '/srv/trace/current.snapshot';
  }

  private sign<T extends Msg>(m: T): T & { sig: string } {
    const signed = signMessage(m, this.keys);
    return this.faults.corruptSignature ? { ...signed, sig: corrupt(signed.sig) } : signed;
  }

  private member(id: string): Member | undefined {
    return this.members.find((m) => m.id === id);
  }

  private rememberNonce(nonce: string): boolean {
    if (this.nonces.has(nonce)) return false;
    this.nonces.add(nonce);
    if (this.nonces.size > MAX_NONCES) this.nonces.delete(this.nonces.values().next().value as string);
    return true;
  }

  private commitWindow(windowId: string, events: unknown[], windowRoot: string, ts: string): void {
    this.ring.push(...events);
    if (this.ring.length > this.ringCapacity) this.ring.splice(0, this.ring.length - this.ringCapacity);
    this.snapshot = {
      id: windowId,
      ts,
      windowRoot,
      ringRoot: rootOfWindow(this.ring),
      events: [...this.ring],
    };
    this.writeSnapshot();
  }

  private restoreSnapshot(): void {
    this.ring = [...this.snapshot.events];
  }

  status(): Record<string, unknown> {
    return {
      id: this.id,
      members: this.members.map((m) => m.id),
      ringSize: this.ring.length,
      ringRoot: rootOfWindow(this.ring),
      pending: this.pending.length,
      pendingBytes: this.pendingBytes,
      snapshot: {
        id: this.snapshot.id,
        ringRoot: this.snapshot.ringRoot,
        windowRoot: this.snapshot.windowRoot,
      },
      faults: this.faults,
      lastVote: this.lastVote,
    };
  }

  /** Record events; a vote starts by itself once the pending segment passes segmentBytes. */
  append(events: unknown[]): void {
    if (this.pending.length === 0) this.pendingSince = Date.now();
    for (const e of events) {
      this.pending.push(e);
      this.pendingBytes += Buffer.byteLength(canonicalForm(e)) + 1;
    }
    if (this.pendingBytes > this.segmentBytes && this.members.length > 0)
      this.vote('size').catch(() => undefined);
  }

  /** Run one vote (serialized with any other vote of this queen). Resolves with the outcome or rejects with ConsensusError. */
  vote(trigger: VoteTrigger, extra: unknown[] = []): Promise<VoteOutcome | undefined> {
    const run = this.voting.then(() => {
      if (extra.length > 0) {
        if (this.pending.length === 0) this.pendingSince = Date.now();
        this.pending.push(...extra);
      }
      // automatic triggers that fire after a sync already took the segment have nothing to vote on
      if ((trigger === 'size' || trigger === 'age') && this.pending.length === 0) return undefined;
      return this.runVote(trigger);
    });
    this.voting = run.catch(() => undefined);
    return run;
  }

  private async runVote(trigger: VoteTrigger): Promise<VoteOutcome> {
    if (this.members.length === 0)
      throw new ConsensusError(`${this.id}: no members configured; send "configure" first`);
    const window = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const ts = this.stamp();
    const windowId = `${this.id}-${++this.windowSeq}`;
    const nonce = randomBytes(16).toString('hex');
    const root = rootOfWindow(window);
    this.rememberNonce(nonce);
    let proposal: Msg = { type: 'propose', from: this.id, windowId, nonce, root, events: window };
    proposal = this.faults.unsignedSegment ? proposal : this.sign(proposal);

    const peers = this.members.filter((m) => m.id !== this.id);
    const replies = await Promise.all(
      peers.map(async (m) => {
        if (this.faults.partition)
          return {
            peer: m.id,
            error: new ExchangeError('partitioned (fault injected on the initiator)', 'closed'),
          };
        try {
          return { peer: m.id, reply: (await this.opts.send(m, proposal, this.voteTimeoutMs)) as Msg };
        } catch (e) {
          return { peer: m.id, error: e as Error };
        }
      }),
    );

    const signers: Array<{ peer: string; sig: string }> = [
      { peer: this.id, sig: this.sign({ type: 'vote', voter: this.id, windowId, nonce, root }).sig },
    ];
    const rejected: PeerRejection[] = [];
    for (const r of replies) {
      const reason = this.judgeVote(r, windowId, nonce, root);
      if (reason) rejected.push({ peer: r.peer, reason });
      else signers.push({ peer: r.peer, sig: String((r.reply as Msg).sig) });
    }
    const n = this.members.length;
    // the defect counts a simple majority instead of two thirds
    const required = this.opts.defect === 'consensus-accepts-minority' ? majorityOf(n) : quorumOf(n);
    const accepted = signers.length >= required;
    const consensusLog = `/srv/trace/consensus/${ts}.log`;
    const outcome: VoteOutcome = {
      ts,
      windowId,
      trigger,
      initiator: this.id,
      nonce,
      members: this.members.map((m) => m.id),
      required,
      root,
      accepted,
      signers,
      rejected,
      events: window,
      files: { consensusLog, snapshot: '/srv/trace/current.snapshot' },
      snapshotId: '',
    };

    if (accepted) {
      this.commitWindow(windowId, window, root, ts);
      const commit = this.sign({
        type: 'commit',
        from: this.id,
        windowId,
        nonce,
        root,
        signers: signers.map((s) => s.peer),
      });
      await this.broadcast(commit);
    } else {
      if (this.opts.defect !== 'consensus-no-fallback') this.restoreSnapshot();
      else this.ring.push(...window); // the defect keeps the rejected window
      await this.broadcast(this.sign({ type: 'abort', from: this.id, windowId, nonce }));
      outcome.files.faultFile = `/srv/trace/fault/${ts}.error`;
    }
    outcome.snapshotId = this.snapshot.id;
    this.writeFileAtomic(consensusLog, `${JSON.stringify(outcome)}\n`);
    this.lastVote = outcome;
    if (accepted) return outcome;

    const message =
      `consensus failed for window ${windowId} (trigger ${trigger}): ${signers.length} of ${n} signatures valid, ` +
      `${required} required (>= 2/3). ` +
      `Not signed: ${rejected.map((r) => `${r.peer} (${r.reason})`).join('; ')}. ` +
      `Fell back to the last good snapshot ${this.snapshot.id} (ring root ${short(this.snapshot.ringRoot)}); ` +
      `the ${window.length} events of the window were dropped. ` +
      `Fix: restore connectivity, keys or clocks of the peers named above, then sync again. Details: ${outcome.files.faultFile}`;
    this.writeFileAtomic(
      outcome.files.faultFile!,
      `${JSON.stringify({ ts, windowId, error: 'ConsensusError', message, rejected, required, valid: signers.length })}\n`,
    );
    throw new ConsensusError(message, outcome);
  }

  /** Why a peer's reply does not count as a signature for (windowId, nonce, root); undefined when it does. */
  private judgeVote(
    r: { peer: string; reply?: Msg; error?: Error },
    windowId: string,
    nonce: string,
    root: string,
  ): string | undefined {
    if (r.error) {
      const reason = r.error instanceof ExchangeError ? r.error.reason : 'error';
      if (reason === 'timeout') return `no vote within ${this.voteTimeoutMs} ms (delayed or overloaded)`;
      return `unreachable: ${r.error.message} (partitioned?)`;
    }
    const v = r.reply!;
    if (v.type === 'refuse') return `refused the segment: ${String(v.reason)}`;
    if (v.type !== 'vote' || v.voter !== r.peer)
      return `answered with something other than its vote: ${JSON.stringify(v).slice(0, 120)}`;
    const m = this.member(r.peer);
    if (!m || !verifyMessage(v, m.publicKey)) return 'vote signature does not verify with its session key';
    if (v.windowId !== windowId || v.nonce !== nonce)
      return 'vote is for another window or nonce (replayed?)';
    if (v.root !== root)
      return `computed Merkle root ${short(String(v.root))}, the initiator ${short(root)} (hash skew or diverged window)`;
    return undefined;
  }

  private async broadcast(message: Msg): Promise<void> {
    if (this.faults.partition) return;
    await Promise.all(
      this.members
        .filter((m) => m.id !== this.id)
        .map((m) => this.opts.send(m, message, this.voteTimeoutMs).catch(() => undefined)),
    );
  }

  /** A message from another queen, whose TLS certificate says it is `cn`. `undefined` drops the connection. */
  async handlePeer(req: Msg, cn: string): Promise<Msg | undefined> {
    if (this.faults.partition) return undefined;
    const from = String(req.from ?? '');
    const sender = this.member(from);
    const refuse = (reason: string): Msg => ({ type: 'refuse', voter: this.id, reason });
    if (!sender) return refuse(`${from || '(no sender)'} is not a member of this cluster`);
    if (cn !== from) return refuse(`TLS identity ${cn} does not match sender ${from}`);
    const signedOk = verifyMessage(req, sender.publicKey);
    switch (req.type) {
      case 'propose': {
        // the defect takes segments on trust: no signature check
        if (!signedOk && this.opts.defect !== 'consensus-unsigned-segment')
          return refuse('segment signature missing or invalid');
        const nonce = String(req.nonce ?? '');
        if (!/^[0-9a-f]{32}$/.test(nonce) || !this.rememberNonce(nonce))
          return refuse('nonce missing or already seen (replay)');
        const events = Array.isArray(req.events) ? (req.events as unknown[]) : [];
        const windowId = String(req.windowId ?? '');
        this.tentative.set(windowId, { from, windowId, nonce, events });
        if (this.tentative.size > MAX_TENTATIVE)
          this.tentative.delete(this.tentative.keys().next().value as string);
        let root = rootOfWindow(events);
        if (this.faults.skewHash) root = `${root.slice(0, -1)}${root.endsWith('0') ? '1' : '0'}`;
        if (this.faults.delayMs) await new Promise((r) => setTimeout(r, this.faults.delayMs));
        return this.sign({ type: 'vote', voter: this.id, windowId, nonce, root });
      }
      case 'commit': {
        if (!signedOk) return refuse('commit signature invalid');
        const t = this.tentative.get(String(req.windowId));
        if (!t || t.nonce !== req.nonce) return { ok: false, reason: 'unknown window' };
        this.tentative.delete(t.windowId);
        const ts = this.stamp();
        this.commitWindow(t.windowId, t.events, String(req.root), ts);
        this.writeFileAtomic(
          `/srv/trace/consensus/${ts}.log`,
          `${JSON.stringify({ ts, windowId: t.windowId, initiator: from, nonce: t.nonce, root: req.root, accepted: true, signers: req.signers, events: t.events, role: 'peer' })}\n`,
        );
        return { ok: true };
      }
      case 'abort': {
        if (!signedOk) return refuse('abort signature invalid');
        this.tentative.delete(String(req.windowId));
        if (this.opts.defect !== 'consensus-no-fallback') this.restoreSnapshot();
        return { ok: true };
      }
      case 'checkpoint': {
        if (!signedOk) return refuse('checkpoint signature invalid');
        const mismatch = req.ringRoot !== this.snapshot.ringRoot;
        if (mismatch) this.vote('checkpoint-mismatch').catch(() => undefined);
        return { ok: true, mismatch };
      }
      default:
        return refuse(`unknown message type ${JSON.stringify(req.type)}`);
    }
  }

  /** Broadcast our snapshot's ring root; peers whose root differs start a vote. */
  async checkpoint(): Promise<Array<{ peer: string; mismatch?: boolean; error?: string }>> {
    const msg = this.sign({
      type: 'checkpoint',
      from: this.id,
      ringRoot: this.snapshot.ringRoot,
      nonce: randomBytes(16).toString('hex'),
    });
    return Promise.all(
      this.members
        .filter((m) => m.id !== this.id)
        .map(async (m) => {
          try {
            const r = (await this.opts.send(m, msg, this.voteTimeoutMs)) as Msg;
            return { peer: m.id, mismatch: Boolean(r.mismatch) };
          } catch (e) {
            return { peer: m.id, error: (e as Error).message };
          }
        }),
    );
  }
}
