// Runs one parsed `.coh` script against a cohsh console, with upstream's
// semantics: commands translated (translate.ts), EXPECTs judging the last
// acknowledgement (check.ts), WAIT bounded, strict (the first failure stops
// the script), an ERR acknowledgement deferred to the EXPECTs that follow it,
// and several `attach … quit` blocks each on its own connection. Every
// statement becomes a check in upstream's `test --json` shape.
import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CohshClient } from '../cohsh/client.ts';
import { encodeFrame, MAX_LINE_BYTES } from '../../contract/cohsh/frame.ts';
import { judge } from './check.ts';
import { lifecycleTransition } from './lifecycle.ts';
import { expandPlaceholders, type Statement } from './parse.ts';
import { parseShell, telemetrySegmentLine, type ShellCommand, type StreamKind } from './translate.ts';

export interface CohConsole {
  /** a new connection, already past AUTH (the client's own retry policy applies) */
  open(): Promise<CohshClient>;
}

export interface CohRunOptions {
  console: CohConsole;
  /** how the script is named in messages (workspace-relative path or file name) */
  file: string;
  /** relative file paths in the script (telemetry push) resolve here */
  baseDir: string;
  /** values for `{{name}}`; msize_overflow is always filled */
  placeholders?: Record<string, string | undefined>;
  /** bound on each acknowledgement */
  ackTimeoutMs?: number;
  /** bound on a streamed reply (lines until END) */
  maxStreamLines?: number;
}

export interface CohCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CohFailure {
  line: number;
  statement: string;
  lastAck?: string;
  reason: string;
  /** `<file>:<line>: <statement> — last ack: <line>`, then the reason */
  message: string;
}

export interface CohRunResult {
  ok: boolean;
  elapsedMs: number;
  checks: CohCheck[];
  failure?: CohFailure;
  /** the runner's view (statements, wire lines, acks) then each connection's own transcript */
  transcript: string;
}

/** one line longer than the frame allows: upstream's {{msize_overflow}} */
export const MSIZE_OVERFLOW = 'X'.repeat(MAX_LINE_BYTES + 64);

interface Exchange {
  ack: string;
  lines: string[];
}

class ScriptFailure extends Error {}

export async function runScript(statements: Statement[], o: CohRunOptions): Promise<CohRunResult> {
  const started = performance.now();
  const checks: CohCheck[] = [];
  const log: string[] = [];
  const clients: CohshClient[] = [];
  const values = { ...o.placeholders, msize_overflow: MSIZE_OVERFLOW };
  const ackTimeoutMs = o.ackTimeoutMs ?? 5000;
  let session: CohshClient | undefined;
  let lastAck: string | undefined;
  let failure: CohFailure | undefined;

  const fail = (s: Statement, reason: string): void => {
    const head = `${o.file}:${s.line}: ${s.text} — last ack: ${lastAck ?? '(none)'}`;
    failure = { line: s.line, statement: s.text, lastAck, reason, message: `${head}\n${reason}` };
    checks.push({ name: `line ${s.line}: ${s.text}`, ok: false, detail: reason });
    log.push(`  ✗ ${reason}`);
  };

  const shown = (line: string): string => {
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) return `<frame of ${Buffer.byteLength(line) + 4} bytes>`;
    return /^ATTACH\s+\S+\s+\S/.test(line)
      ? line.replace(/^(ATTACH\s+\S+)\s.*$/, '$1 <ticket redacted>')
      : line;
  };

  const exchange = async (line: string, stream: StreamKind): Promise<Exchange> => {
    const c = session;
    if (!c || c.closed)
      throw new ScriptFailure('no open session: attach first (the last one ended with quit or closed)');
    const verb = line.split(' ')[0]!;
    // an oversized line goes out as one frame anyway: the console must answer ERR FRAME
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) c.sendRaw(encodeFrame(line), shown(line));
    else c.send(line);
    log.push(`  > ${shown(line)}`);
    const ack = await c.readLine(`the acknowledgement of ${verb}`, ackTimeoutMs);
    lastAck = ack;
    log.push(`  < ${ack}`);
    const lines: string[] = [];
    if (ack.startsWith('OK') && stream === 'end') {
      for (;;) {
        const l = await c.readLine(`${verb} stream END`, ackTimeoutMs);
        if (l === 'END') break;
        lines.push(l);
        if (lines.length > (o.maxStreamLines ?? 10_000))
          throw new ScriptFailure(`${verb}: more than ${o.maxStreamLines ?? 10_000} lines without END`);
      }
      log.push(`  < (${lines.length} streamed line${lines.length === 1 ? '' : 's'}) END`);
    } else if (ack.startsWith('OK') && stream === 'pong') {
      const l = await c.readLine('PONG', ackTimeoutMs);
      log.push(`  < ${l}`);
      if (l !== 'PONG') throw new ScriptFailure(`PING: expected PONG after the acknowledgement, got "${l}"`);
    }
    return { ack, lines };
  };

  /** what a CAT read says: its streamed lines when there are any, else the ack's data= summary */
  const content = (x: Exchange): string[] =>
    x.lines.length ? x.lines : (/\sdata=(.*)$/.exec(x.ack)?.[1]?.split('|') ?? []);

  const quitSession = async (): Promise<Exchange> => {
    const x = await exchange('quit', 'none');
    session?.close();
    session = undefined;
    return x;
  };

  const execute = async (c: ShellCommand): Promise<Exchange | null> => {
    switch (c.kind) {
      case 'attach': {
        if (!session || session.closed) {
          log.push('  (new connection, AUTH)');
          session = await o.console.open();
          clients.push(session);
        }
        // upstream's client sends the ticket slot even when empty
        return exchange(`ATTACH ${c.role} ${c.ticket ?? ''}`, 'none');
      }
      case 'wire':
        return exchange(c.line, c.stream);
      case 'quit':
        return quitSession();
      case 'detach':
        // nothing on the wire: the connection is dropped without quit (the console then
        // re-arms before it takes the next session); the last ack stays the one EXPECT judges
        if (session && !session.closed) log.push('  (connection dropped without quit)');
        session?.close();
        session = undefined;
        return null;
      case 'lifecycle': {
        const st = await exchange('CAT /proc/lifecycle/state', 'end');
        if (!st.ack.startsWith('OK')) return st;
        const state = content(st)
          .map((l) => /^state=(\S+)/.exec(l.trim())?.[1])
          .find(Boolean);
        if (!state) throw new ScriptFailure(`lifecycle: /proc/lifecycle/state has no state= line`);
        if (!lifecycleTransition(state, c.command)) {
          // checked locally, as upstream's client does: nothing is sent
          lastAck = `ERR LIFECYCLE reason=invalid-transition detail=${state}->${c.command}`;
          log.push(`  = ${lastAck} (client-side check, not sent)`);
          return { ack: lastAck, lines: [] };
        }
        return exchange(`ECHO /queen/lifecycle/ctl ${c.command}`, 'none');
      }
      case 'telemetry':
        return telemetryPush(c);
      case 'pool':
        return poolBench(c.options);
    }
  };

  const telemetryPush = async (c: { file: string; device: string }): Promise<Exchange> => {
    const path = isAbsolute(c.file) ? c.file : resolve(o.baseDir, c.file);
    if (!existsSync(path))
      throw new ScriptFailure(
        `telemetry push: no file ${path} (relative paths resolve against ${o.baseDir})`,
      );
    const payload = readFileSync(path, 'utf8').trimEnd();
    const created = await exchange(
      `ECHO /queen/telemetry/${c.device}/ctl {"new":"segment","mime":"text/plain"}`,
      'none',
    );
    if (!created.ack.startsWith('OK')) return created;
    const latest = await exchange(`CAT /queen/telemetry/${c.device}/latest`, 'end');
    if (!latest.ack.startsWith('OK')) return latest;
    const seg = content(latest)[0]?.trim();
    if (!seg) throw new ScriptFailure(`telemetry push: /queen/telemetry/${c.device}/latest named no segment`);
    const line = telemetrySegmentLine(c.device, seg, payload);
    if (Buffer.byteLength(line) > MAX_LINE_BYTES)
      throw new ScriptFailure(`telemetry push: ${c.file} does not fit one ${MAX_LINE_BYTES}-byte frame`);
    return exchange(line, 'none');
  };

  const poolBench = async (opt: Record<string, string>): Promise<Exchange> => {
    const c = session;
    if (!c || c.closed) throw new ScriptFailure('no open session: attach first');
    const ops = Number(opt.ops);
    const batch = Math.max(1, Number(opt.batch));
    const t0 = performance.now();
    let base = opt.payload ?? 'bench';
    if (opt.payload_bytes) base = base.padEnd(Number(opt.payload_bytes), 'x');
    let acked = 0;
    const failed: string[] = [];
    for (let j = 0; j < ops; j += batch) {
      const lines: string[] = [];
      for (let k = j; k < Math.min(ops, j + batch); k++)
        lines.push(`ECHO ${opt.path} ${base}-${Math.floor(k / batch)}-base-${k}`);
      // a batch goes out back to back; its acks are read back in order
      for (const l of lines) c.send(l);
      for (let k = 0; k < lines.length; k++) {
        const ack = await c.readLine('a pool bench append acknowledgement', ackTimeoutMs);
        if (ack.startsWith('OK ECHO')) acked++;
        else failed.push(ack);
      }
      if (opt.delay_ms) await sleep(Number(opt.delay_ms));
    }
    const ms = Math.round(performance.now() - t0);
    const ack = failed.length
      ? `ERR POOL reason=append-failed detail=${failed.length}-of-${ops} error=${failed[0]}`
      : `OK POOL path=${opt.path} ops=${ops} batch=${batch} acked=${acked} elapsed_ms=${ms}`;
    lastAck = ack;
    log.push(`  > ${ops} appends to ${opt.path} in batches of ${batch}`, `  = ${ack}`);
    return { ack, lines: [] };
  };

  try {
    for (let i = 0; i < statements.length && !failure; i++) {
      const s = statements[i]!;
      log.push(`line ${s.line}: ${s.text}`);
      if (s.type === 'wait') {
        await sleep(s.ms);
        checks.push({ name: `line ${s.line}: ${s.text}`, ok: true, detail: `OK waited ${s.ms}ms` });
        continue;
      }
      if (s.type === 'expect') {
        const j = judge(s.expect, lastAck);
        if (!j.ok) fail(s, j.detail);
        else checks.push({ name: `line ${s.line}: ${s.text}`, ok: true, detail: j.detail });
        continue;
      }
      const expanded = expandPlaceholders(s.text, values);
      if (expanded.missing.length) {
        fail(
          s,
          `no value for ${expanded.missing.map((m) => `{{${m}}}`).join(', ')} (configure it for the runner)`,
        );
        break;
      }
      const cmd = parseShell(expanded.text);
      if ('problem' in cmd) {
        fail(s, cmd.problem);
        break;
      }
      let x: Exchange | null;
      try {
        x = await execute(cmd);
      } catch (e) {
        fail(s, (e as Error).message);
        break;
      }
      if (!x)
        checks.push({
          name: `line ${s.line}: ${s.text}`,
          ok: true,
          detail: 'OK detached (nothing on the wire)',
        });
      else if (x.ack.startsWith('ERR')) {
        // upstream: an ERR stops the script unless the assertions that follow expect it
        if (statements[i + 1]?.type === 'expect')
          checks.push({ name: `line ${s.line}: ${s.text}`, ok: true, detail: 'ERR deferred to EXPECT' });
        else fail(s, `the command was answered ${x.ack} and no EXPECT follows it`);
      } else checks.push({ name: `line ${s.line}: ${s.text}`, ok: true, detail: x.ack });
    }
  } finally {
    // never leave a session open: the console serves one at a time
    if (session && !session.closed) {
      log.push('end of script: quit');
      await quitSession().catch((e: Error) => log.push(`  ! ${e.message}`));
    }
    session?.close();
  }
  const transcript = [
    ...log,
    ...clients.map((c, k) => `\n--- connection ${k + 1} (${c.where}) ---\n${c.transcriptText()}`),
  ].join('\n');
  return {
    ok: !failure,
    elapsedMs: Math.round(performance.now() - started),
    checks,
    ...(failure ? { failure } : {}),
    transcript,
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
