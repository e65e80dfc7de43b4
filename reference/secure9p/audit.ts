// The server's two logs, written as host files (and shown in the namespace
// under /log): the network trace (one JSON line per denial: trace id, actor,
// operation, path; /log/net_trace_secure9p.log for Secure9P, /log/net_trace.log
// for plain 9P) and the live trace (/log/trace/live.log: ts, agent, event,
// detail, ok for every walk, read and write).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LogFiles } from './namespace.ts';
import { clipText, MAX_QUOTED_BYTES } from './bounded-text.ts';

/** One event of the live trace, as the trace recorder takes it (contract fields). */
export interface LiveTraceEvent {
  ts: number;
  agent: string;
  event: string;
  detail: string;
  ok: boolean;
}

export interface AuditOptions {
  /**
   * Where live-trace events go instead of the host file `files.trace` (the trace area's
   * reference recorder, which honours TRACE_OUT); the file is still the live view.
   */
  traceSink?: (e: LiveTraceEvent) => void;
  /** namespace directory of the live trace (default /log/trace): reads below it are not traced */
  traceDir?: string;
  /** secure9p-unlogged-denial: denials are not written to the network trace */
  skipDenialLog?: boolean;
  /** secure9p-no-trace-id: errors reach the client without their trace id */
  omitTraceIdFromErrors?: boolean;
}

export interface Denial {
  transport: 'secure9p' | 'plain';
  actor: string;
  op: string;
  path: string;
  reason: string;
  peer?: string;
}

export const newTraceId = (): string => randomBytes(4).toString('hex');

export class AuditLog {
  constructor(
    readonly files: LogFiles,
    private readonly opts: AuditOptions = {},
  ) {
    for (const f of [files.secure9p, files.plain, files.trace]) {
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, '', { flag: 'a' });
    }
  }

  /** Record a denial; returns the error text for the client (with its trace id). */
  deny(denial: Denial): string {
    // actor and path may be client input of ~64 KiB: the log line and the error stay bounded
    const d: Denial = {
      ...denial,
      actor: clipText(denial.actor, MAX_QUOTED_BYTES),
      path: clipText(denial.path, MAX_QUOTED_BYTES * 4),
      reason: clipText(denial.reason),
    };
    const traceId = newTraceId();
    const line = {
      ts: Date.now(),
      trace_id: traceId,
      actor: d.actor,
      op: d.op,
      path: d.path,
      reason: d.reason,
      transport: d.transport,
      peer: d.peer,
    };
    if (!this.opts.skipDenialLog)
      appendFileSync(
        d.transport === 'secure9p' ? this.files.secure9p : this.files.plain,
        JSON.stringify(line) + '\n',
      );
    this.event(d.actor, d.op === 'attach' ? 'attach' : d.op, `${d.path} denied trace_id=${traceId}`, false);
    const base = `permission denied: ${d.op} ${d.path}: ${d.reason}`;
    return this.opts.omitTraceIdFromErrors ? base : `${base} [trace_id=${traceId}]`;
  }

  /** One line of the live trace. `ts` is milliseconds since the Unix epoch. */
  event(agent: string, event: string, detail: string, ok: boolean): void {
    const e: LiveTraceEvent = {
      ts: Date.now(),
      agent,
      event,
      detail: clipText(detail, MAX_QUOTED_BYTES * 4),
      ok,
    };
    if (this.opts.traceSink) this.opts.traceSink(e);
    else appendFileSync(this.files.trace, JSON.stringify(e) + '\n');
  }

  /** Accesses of the logs themselves are not traced: tracing them would grow the file being read. */
  untraced(detail: string): boolean {
    const dir = this.opts.traceDir ?? '/log/trace';
    return detail.startsWith('/log/') || detail === dir || detail.startsWith(`${dir}/`);
  }
}
