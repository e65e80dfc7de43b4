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
import { NinepNamespace } from './ninep-namespace.ts';
import {
  connectReader,
  missingActions,
  newNonce,
  performConsoleActions,
  performSecure9pActions,
  type ActionLog,
  type ExpectedEvent,
  type RecordedLine,
} from './actions.ts';
import type { NinepFs } from '../../contract/ninep/fs.ts';
import { InfraError } from '../errors.ts';
import {
  checkRuleFiles,
  readRulesLog,
  rulesLogDisagreements,
  DEFAULT_RULES_DIR,
  DEFAULT_RULES_LOG,
  DEFAULT_VALIDATOR_LOG_DIR,
  type RuleFilesCheck,
  type RulesLog,
} from './validator-rules.ts';

/** Where a recorder that ignores /log/trace/ puts its live file (the upstream defect). */
export const MISPLACED_LIVE = '/srv/trace/live.log';

/** A 9P namespace that connects on first use (a user's target read over Secure9P). */
class LazyNinepNamespace implements NamespaceReader {
  private session?: Promise<NinepFs>;
  constructor(private readonly connect: () => Promise<NinepFs>) {}
  private ns(): Promise<NinepNamespace> {
    this.session ??= this.connect();
    return this.session.then((fs) => new NinepNamespace(fs));
  }
  async readDir(path: string): Promise<Array<{ name: string; isDir: boolean; size: number }>> {
    return (await this.ns()).readDir(path);
  }
  async stat(path: string): Promise<{ isDir: boolean; size: number } | undefined> {
    return (await this.ns()).stat(path);
  }
  async *readStream(path: string): AsyncGenerator<Buffer> {
    yield* (await this.ns()).readStream(path);
  }
  close(): void {
    void this.session?.then((fs) => fs.client.close()).catch(() => undefined);
  }
}

export interface LiveTrace {
  /** namespace path read, and how (9p or local folder) */
  path: string;
  via: string;
  lines: RecordedLine[];
}

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

  readonly resources: TraceResources;

  /** `traceDir` may be missing: a config gives `traceOut` (TRACE_OUT), or neither (/log/trace) */
  constructor(resources: Omit<TraceResources, 'traceDir'> & { traceDir?: string }) {
    this.resources = { ...resources, traceDir: resources.traceDir || resources.traceOut || '/log/trace' };
    const s9 = resources.secure9p;
    if (resources.nsRoot) this.namespace = new LocalNamespace(resources.nsRoot);
    else if (s9) this.namespace = new LazyNinepNamespace(() => connectReader(s9));
    else
      throw new InfraError(
        'the trace resources name no namespace: neither nsRoot (a local folder) nor secure9p (an endpoint)',
        'set trace.secure9p in the config (host, port, caCert, agent, cert, key) or run against the reference target',
      );
  }

  /** Close the namespace session, if one was opened. */
  close(): void {
    if (this.namespace instanceof LazyNinepNamespace) this.namespace.close();
  }

  /**
   * The live trace's lines: read over Secure9P when the target serves one, else from the
   * namespace. /log/trace/live.log (TRACE_OUT), or the misplaced /srv/trace/live.log when only
   * that exists (placement is the path case's business, not this reader's).
   */
  async readLive(): Promise<LiveTrace> {
    const want = `${this.resources.traceDir.replace(/\/$/, '')}/live.log`;
    const s9 = this.resources.secure9p;
    let text: string;
    let path = want;
    let via: string;
    if (s9) {
      const fs = await connectReader(s9);
      via = `9p ${s9.host}:${s9.port} as ${s9.reader?.agent ?? s9.agent}`;
      try {
        const exists = async (p: string) =>
          fs.stat(p).then(
            () => true,
            () => false,
          );
        if (!(await exists(want)) && (await exists(MISPLACED_LIVE))) path = MISPLACED_LIVE;
        text = (await fs.readFile(path)).toString('utf8');
      } finally {
        fs.client.close();
      }
    } else {
      via = this.resources.nsRoot ? `folder ${this.resources.nsRoot}` : 'namespace';
      if (!(await this.namespace.stat(want)) && (await this.namespace.stat(MISPLACED_LIVE)))
        path = MISPLACED_LIVE;
      const chunks: Buffer[] = [];
      for await (const c of this.namespace.readStream(path)) chunks.push(c);
      text = Buffer.concat(chunks).toString('utf8');
    }
    const lines: RecordedLine[] = text
      .split('\n')
      .map((t, i) => ({ line: i + 1, text: t }))
      .filter((l) => l.text.trim() !== '')
      .map((l) => {
        try {
          const v = JSON.parse(l.text) as unknown;
          return { ...l, event: v && typeof v === 'object' ? (v as RecordedLine['event']) : undefined };
        } catch {
          return l;
        }
      });
    return { path, via, lines };
  }

  /** Perform the suite's known Secure9P and CLI actions; what each must leave in the trace. */
  async performActions(): Promise<ActionLog & { nonce: string }> {
    const nonce = newNonce();
    const log: ActionLog = { expected: [], steps: [] };
    if (!this.resources.secure9p && !this.resources.console)
      throw new InfraError(
        'the trace resources name neither a Secure9P endpoint nor a console to act on',
        'set trace.secure9p and trace.console in the config, or run against the reference target',
      );
    if (this.resources.secure9p) await performSecure9pActions(this.resources.secure9p, nonce, log);
    if (this.resources.console) await performConsoleActions(this.resources.console, nonce, log);
    return { ...log, nonce };
  }

  /** The validator's paths in the namespace: resources, else the defaults. */
  validatorPaths(): { rulesDir: string; rulesLog: string; logDir: string } {
    const v = this.resources.validator ?? {};
    return {
      rulesDir: v.rulesDir ?? DEFAULT_RULES_DIR,
      rulesLog: v.rulesLog ?? DEFAULT_RULES_LOG,
      logDir: v.logDir ?? DEFAULT_VALIDATOR_LOG_DIR,
    };
  }

  checkRuleFiles(): Promise<RuleFilesCheck> {
    return checkRuleFiles(this.namespace, this.validatorPaths().rulesDir);
  }

  readRulesLog(): Promise<RulesLog> {
    return readRulesLog(this.namespace, this.validatorPaths().rulesLog);
  }

  rulesLogDisagreements(check: RuleFilesCheck, log: RulesLog): string[] {
    return rulesLogDisagreements(check, log);
  }

  /** Files under the validator's log directory (/log/validator/). */
  async validatorLogFiles(): Promise<string[]> {
    const dir = this.validatorPaths().logDir;
    return (await this.namespace.readDir(dir)).filter((e) => !e.isDir).map((e) => `${dir}/${e.name}`);
  }

  missingActions(expected: ExpectedEvent[], recorded: RecordedLine[]): ExpectedEvent[] {
    return missingActions(expected, recorded);
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
