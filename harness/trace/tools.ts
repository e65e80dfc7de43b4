// Everything the trace suite uses, bound to one target's trace resources. Suites
// get this through the `trace` fixture and never build readers or clients themselves.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalNamespace, NamespaceTraceSource, type NamespaceReader, type TraceSource } from './source.ts';
import { findTraceArtifacts, judgeTracePath, type PathVerdict } from './paths.ts';
import { checkTraceSource, type SourceCheck } from './validate.ts';
import { diffTraces, type DiffOptions, type DiffRecord, type DiffSummary } from './diff.ts';
import { describeRecord } from './diff-format.ts';
import { ConsensusError, replayVote, type ReplayResult, type VoteOutcome } from './consensus.ts';
import { QueenClient } from './queen-client.ts';
import type { TraceResources } from './resources.ts';

export interface ConsensusLogEntry {
  queen: string;
  /** namespace path in that queen's namespace */
  path: string;
  record: Pick<VoteOutcome, 'windowId' | 'root' | 'events' | 'accepted'> & Record<string, unknown>;
}

export class TraceTools {
  readonly namespace: NamespaceReader;
  readonly ConsensusError = ConsensusError;
  private client?: QueenClient;

  constructor(readonly resources: TraceResources) {
    this.namespace = new LocalNamespace(resources.nsRoot);
  }

  /** A trace source for a directory of the target's namespace (e.g. /log/trace, /history/snapshots/<id>). */
  source(nsPath: string): TraceSource {
    return new NamespaceTraceSource(this.namespace, nsPath);
  }

  findArtifacts(): Promise<string[]> {
    return findTraceArtifacts(this.namespace, this.resources.traceDir);
  }

  judgePath(path: string): PathVerdict {
    return judgeTracePath(path, this.resources.traceDir);
  }

  checkSource(source: TraceSource): Promise<SourceCheck> {
    return checkTraceSource(source);
  }

  /** Diff two namespace folders, collecting the records (the suite's snapshots are small). */
  async diff(
    a: string,
    b: string,
    opts: Partial<DiffOptions> = {},
  ): Promise<{ records: DiffRecord[]; summary: DiffSummary; text: string }> {
    const records: DiffRecord[] = [];
    const summary = await diffTraces(this.source(a), this.source(b), opts, (r) => {
      records.push(r);
    });
    return { records, summary, text: records.map(describeRecord).join('\n') };
  }

  replay(record: Pick<VoteOutcome, 'windowId' | 'root' | 'events'>): ReplayResult {
    return replayVote(record);
  }

  queens(): QueenClient {
    if (!this.resources.queens) throw new Error('this target has no queen cluster');
    this.client ??= new QueenClient(this.resources.queens);
    return this.client;
  }

  /** Read a file of a queen's namespace (e.g. a fault file named in a ConsensusError). */
  async readQueenFile(queen: string, nsPath: string): Promise<string> {
    const q = this.resources.queens?.queens.find((x) => x.id === queen);
    if (!q) throw new Error(`no queen ${queen}`);
    return readFile(join(q.nsRoot, ...nsPath.split('/').filter(Boolean)), 'utf8');
  }

  /** Every consensus log of every queen. */
  async consensusLogs(): Promise<ConsensusLogEntry[]> {
    const out: ConsensusLogEntry[] = [];
    for (const q of this.resources.queens?.queens ?? []) {
      const ns = new LocalNamespace(q.nsRoot);
      for (const e of await ns.readDir('/srv/trace/consensus')) {
        if (e.isDir || !e.name.endsWith('.log')) continue;
        const path = `/srv/trace/consensus/${e.name}`;
        const text = await readFile(join(q.nsRoot, 'srv', 'trace', 'consensus', e.name), 'utf8');
        out.push({ queen: q.id, path, record: JSON.parse(text) as ConsensusLogEntry['record'] });
      }
    }
    return out;
  }
}
