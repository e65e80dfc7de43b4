// The reference trace recorder: appends one contract event a line to
// <namespace>/log/trace/live.log (TRACE_OUT, a namespace path, overrides the
// directory). Defect modes reproduce upstream gaps: `trace-srv-path` writes to
// /srv/trace instead, `trace-bad-line` drops the `ok` field of one event,
// `trace-drops-denials` does not record refused actions (ok: false). The
// reference Secure9P server and the cohsh console of the trace area record
// through this recorder, so their actions land in the same live file.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface RecordedEvent {
  ts: number;
  agent: string;
  event: string;
  detail: string;
  ok: boolean;
}

export interface RecorderOptions {
  nsRoot: string;
  /** namespace directory for traces; default /log/trace (TRACE_OUT) */
  traceOut?: string;
  defect?: string;
}

export class TraceRecorder {
  /** namespace path of the live file */
  readonly livePath: string;
  /** host path of the live file */
  readonly liveFile: string;
  private count = 0;

  constructor(private readonly opts: RecorderOptions) {
    const dir =
      opts.defect === 'trace-srv-path' ? '/srv/trace' : posix.normalize(opts.traceOut ?? '/log/trace');
    this.livePath = posix.join(dir, 'live.log');
    this.liveFile = this.local(this.livePath);
    mkdirSync(this.local(dir), { recursive: true });
  }

  private local(nsPath: string): string {
    return join(this.opts.nsRoot, ...nsPath.split('/').filter(Boolean));
  }

  record(e: RecordedEvent): void {
    if (this.opts.defect === 'trace-drops-denials' && !e.ok) return;
    this.count++;
    let line: Record<string, unknown> = { ...e };
    if (this.opts.defect === 'trace-bad-line' && this.count === 3) {
      const { ok: _ok, ...rest } = e;
      line = rest;
    }
    appendFileSync(this.liveFile, `${JSON.stringify(line)}\n`);
  }
}
