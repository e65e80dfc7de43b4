// The known, varied set of actions the trace suite performs on a target so it can
// look for each one in /log/trace/live.log: Secure9P actions over mutual TLS
// (attach, walk, read, create + write, a write the policy refuses) and cohsh CLI
// invocations (AUTH, ATTACH, PING, CAT, TAIL, a CAT that fails). Each action comes
// with the trace event it must leave behind; matching rules are in matchActions.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import { CohshClient } from '../cohsh/client.ts';
import { CohshError } from '../cohsh/errors.ts';
import type { TraceConsoleEndpoint, TraceSecure9pEndpoint } from './resources.ts';

/** What one action must leave in the trace. */
export interface ExpectedEvent {
  /** how the suite performed it, for messages */
  action: string;
  agent: string;
  event: string;
  /** the path or command the detail starts with; undefined = any detail */
  detail?: string;
  ok: boolean;
}

/** Defaults fit the contract's example policy: drone_worker may read /sim and write /srv/telemetry. */
export const DEFAULT_SECURE9P_PATHS = {
  read: '/sim/data/frame-0001.json',
  writeDir: '/srv/telemetry',
  denied: '/sim/data/frame-0001.json',
} as const;

export const DEFAULT_CONSOLE = {
  agent: 'cohsh',
  event: 'cli',
  role: 'queen',
  cat: '/proc/boot',
  tail: '/log/queen.log',
} as const;

async function connectAs(
  ep: TraceSecure9pEndpoint,
  who: { agent: string; cert: string; key: string },
  timeoutMs: number,
): Promise<NinepFs> {
  const c = await NinepClient.connect({
    transport: 'tls',
    host: ep.host,
    port: ep.port,
    tls: {
      ca: readFileSync(ep.caCert),
      cert: readFileSync(who.cert),
      key: readFileSync(who.key),
      servername: ep.servername,
    },
    dialect: '9P2000',
    msize: 8192 + 24,
    timeoutMs,
  });
  try {
    return await NinepFs.attach(c, { uname: who.agent });
  } catch (e) {
    c.close();
    throw e;
  }
}

/** A session as the trace reader (the reader identity, else the acting agent). */
export function connectReader(ep: TraceSecure9pEndpoint, timeoutMs = 5000): Promise<NinepFs> {
  return connectAs(ep, ep.reader ?? { agent: ep.agent, cert: ep.cert, key: ep.key }, timeoutMs);
}

export interface ActionLog {
  expected: ExpectedEvent[];
  /** what happened, one line per step (evidence) */
  steps: string[];
}

/**
 * Secure9P actions as `ep.agent`. A step that does not behave as the policy says
 * (a read refused, the refused write accepted) throws: the trace case cannot judge
 * a trace of actions that did not happen as planned.
 */
export async function performSecure9pActions(
  ep: TraceSecure9pEndpoint,
  nonce: string,
  log: ActionLog,
  timeoutMs = 5000,
): Promise<void> {
  const paths = { ...DEFAULT_SECURE9P_PATHS, ...ep.paths };
  const agent = ep.agent;
  const expect = (action: string, event: string, detail: string | undefined, ok: boolean): void => {
    log.expected.push({ action: `secure9p ${action}`, agent, event, detail, ok });
  };
  const fs = await connectAs(ep, ep, timeoutMs);
  try {
    log.steps.push(`secure9p: attached as ${agent} to ${ep.host}:${ep.port}`);
    expect('attach', 'attach', undefined, true);

    const rf = await fs.open(paths.read, 'r');
    try {
      const data = await fs.readAll(rf);
      log.steps.push(`secure9p: walked to and read ${paths.read} (${data.length} bytes)`);
    } finally {
      await fs.clunk(rf.fid).catch(() => undefined);
    }
    expect(`walk ${paths.read}`, 'walk', paths.read, true);
    expect(`read ${paths.read}`, 'read', paths.read, true);

    const name = `trace-qa-${nonce}`;
    const written = `${paths.writeDir}/${name}`;
    const wf = await fs.create(paths.writeDir, name, 'w');
    try {
      await fs.write(wf.fid, 0n, Buffer.from(`trace suite ${nonce}\n`));
    } finally {
      await fs.clunk(wf.fid).catch(() => undefined);
    }
    log.steps.push(`secure9p: created and wrote ${written}`);
    expect(`create ${written}`, 'create', written, true);
    expect(`write ${written}`, 'write', written, true);

    const refused = await fs.open(paths.denied, 'w').then(
      async (f) => {
        await fs.clunk(f.fid).catch(() => undefined);
        return undefined;
      },
      (e: unknown) => e as Error,
    );
    if (!refused)
      throw new Error(
        `secure9p: the policy should refuse ${agent} writing ${paths.denied}, but the open for writing succeeded; ` +
          'set trace.secure9p.paths.denied to a path the agent may not write',
      );
    log.steps.push(`secure9p: write to ${paths.denied} refused: ${refused.message}`);
    expect(`refused write ${paths.denied}`, 'write', paths.denied, false);
  } finally {
    fs.client.close();
  }
}

function consoleToken(c: TraceConsoleEndpoint): string {
  if (c.token) return c.token;
  if (c.tokenFile) return readFileSync(c.tokenFile, 'utf8').trim();
  throw new Error('trace.console needs token or tokenFile (the cohsh AUTH token)');
}

/** cohsh CLI invocations on the console; the transcript (token redacted) goes to `log.steps`. */
export async function performConsoleActions(
  c: TraceConsoleEndpoint,
  nonce: string,
  log: ActionLog,
  timeoutMs = 5000,
): Promise<void> {
  const agent = c.agent ?? DEFAULT_CONSOLE.agent;
  const event = c.event ?? DEFAULT_CONSOLE.event;
  const role = c.role ?? DEFAULT_CONSOLE.role;
  const expect = (command: string, detail: string, ok: boolean): void => {
    log.expected.push({ action: `cohsh ${command}`, agent, event, detail, ok });
  };
  const client = await CohshClient.connect(c.host, c.port, { timeoutMs });
  try {
    await client.auth(consoleToken(c));
    expect('AUTH <token>', 'AUTH', true);
    await client.attach(role, c.ticket);
    expect(`ATTACH ${role}`, `ATTACH ${role}`, true);
    await client.ping();
    expect('PING', 'PING', true);
    const cat = c.cat ?? DEFAULT_CONSOLE.cat;
    await client.cat(cat);
    expect(`CAT ${cat}`, `CAT ${cat}`, true);
    const tail = c.tail ?? DEFAULT_CONSOLE.tail;
    await client.tail(tail);
    expect(`TAIL ${tail}`, `TAIL ${tail}`, true);
    const missing = `/trace-qa/missing-${nonce}`;
    const err = await client.cat(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof CohshError))
      throw new Error(
        `cohsh: CAT ${missing} should fail (no such file) but ${err ? String(err) : 'succeeded'}`,
      );
    expect(`CAT ${missing}`, `CAT ${missing}`, false);
  } finally {
    log.steps.push(`cohsh transcript (${c.host}:${c.port}):\n${client.transcriptText()}`);
    client.close();
  }
}

export function newNonce(): string {
  return randomBytes(4).toString('hex');
}

export interface RecordedLine {
  line: number;
  event?: { agent?: unknown; event?: unknown; detail?: unknown; ok?: unknown };
  text: string;
}

/** The detail names the path or command: equal to it, or it followed by a space and annotations. */
export function detailMatches(detail: unknown, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  return typeof detail === 'string' && (detail === expected || detail.startsWith(`${expected} `));
}

/**
 * The expected events no recorded line accounts for. Each recorded line accounts for
 * at most one expected event (two identical actions need two lines); `ok` must match
 * exactly, so a refusal recorded as a success does not count.
 */
export function missingActions(expected: ExpectedEvent[], recorded: RecordedLine[]): ExpectedEvent[] {
  const used = new Set<number>();
  const missing: ExpectedEvent[] = [];
  for (const x of expected) {
    const hit = recorded.findIndex(
      (r, i) =>
        !used.has(i) &&
        r.event !== undefined &&
        r.event.agent === x.agent &&
        r.event.event === x.event &&
        r.event.ok === x.ok &&
        detailMatches(r.event.detail, x.detail),
    );
    if (hit < 0) missing.push(x);
    else used.add(hit);
  }
  return missing;
}
