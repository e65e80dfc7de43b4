// Shell commands → what the client does on the wire, per upstream's translation
// table (docs/areas/coh.md). Pure: a statement's text in, a structured command
// out (or the problem with it); the runner (run.ts) executes it.
import { isLifecycleCommand, LIFECYCLE_COMMANDS, type LifecycleCommand } from './lifecycle.ts';

/** after the ack: nothing, lines until END, or one PONG */
export type StreamKind = 'none' | 'end' | 'pong';

export type ShellCommand =
  | { kind: 'attach'; role: string; ticket?: string }
  | { kind: 'wire'; line: string; stream: StreamKind }
  | { kind: 'lifecycle'; command: LifecycleCommand }
  | { kind: 'telemetry'; file: string; device: string }
  | { kind: 'pool'; options: Record<string, string> }
  | { kind: 'quit' }
  | { kind: 'detach' };

export const SHELL_COMMANDS = [
  'attach',
  'log',
  'tail',
  'cat',
  'ls',
  'echo',
  'ping',
  'spawn',
  'kill',
  'bind',
  'mount',
  'lifecycle',
  'telemetry',
  'pool',
  'quit',
  'detach',
] as const;

/** options of `pool bench` upstream documents; the runner implements the ones marked true */
export const POOL_OPTIONS: Record<string, boolean> = {
  path: true,
  ops: true,
  batch: true,
  payload: true,
  payload_bytes: true,
  delay_ms: true,
  inject_failures: false,
  inject_bytes: false,
  exhaust: false,
  kind: false,
};

const num = (v: string): number | string => (/^-?\d+$/.test(v) ? Number(v) : v);
const json = (o: unknown): string => JSON.stringify(o);

export function parseShell(text: string): ShellCommand | { problem: string } {
  const words = text.trim().split(/\s+/);
  const [cmd = '', ...args] = words;
  const rest = text.trim().slice(cmd.length).trim();
  const needArgs = (n: number, usage: string) =>
    args.length < n ? { problem: `${cmd} needs ${usage}` } : undefined;
  switch (cmd) {
    case 'attach':
      return (
        needArgs(1, 'a role: attach <role> [ticket]') ?? {
          kind: 'attach',
          role: args[0]!,
          ...(args[1] ? { ticket: args[1] } : {}),
        }
      );
    case 'log':
      return { kind: 'wire', line: 'TAIL /log/queen.log', stream: 'end' };
    case 'tail':
    case 'cat':
    case 'ls':
      return (
        needArgs(1, `a path: ${cmd} <path>`) ?? {
          kind: 'wire',
          line: `${cmd.toUpperCase()} ${args[0]}`,
          stream: 'end',
        }
      );
    case 'ping':
      return { kind: 'wire', line: 'PING', stream: 'pong' };
    case 'echo': {
      const at = rest.lastIndexOf(' > ');
      const path = at >= 0 ? rest.slice(at + 3).trim() : '';
      if (at < 0 || !path || /\s/.test(path)) return { problem: 'echo needs `echo <text> > <path>`' };
      return { kind: 'wire', line: `ECHO ${path} ${rest.slice(0, at)}`, stream: 'none' };
    }
    case 'spawn': {
      const bad = needArgs(1, 'a worker kind: spawn <kind> [ticks=n] [ttl_s=n]');
      if (bad) return bad;
      const o: Record<string, unknown> = { spawn: args[0] };
      const budget: Record<string, unknown> = {};
      for (const kv of args.slice(1)) {
        const m = /^(\w+)=(\S+)$/.exec(kv);
        if (!m) return { problem: `spawn: "${kv}" is not key=value` };
        if (m[1] === 'ttl_s' || m[1] === 'ops') budget[m[1]] = num(m[2]!);
        else o[m[1]!] = num(m[2]!);
      }
      if (Object.keys(budget).length) o.budget = budget;
      return { kind: 'wire', line: `ECHO /queen/ctl ${json(o)}`, stream: 'none' };
    }
    case 'kill':
      return (
        needArgs(1, 'a worker id: kill <worker>') ?? {
          kind: 'wire',
          line: `ECHO /queen/ctl ${json({ kill: args[0] })}`,
          stream: 'none',
        }
      );
    case 'bind':
      return (
        needArgs(2, 'two paths: bind <from> <to>') ?? {
          kind: 'wire',
          line: `ECHO /queen/ctl ${json({ bind: { from: args[0], to: args[1] } })}`,
          stream: 'none',
        }
      );
    case 'mount':
      return (
        needArgs(2, 'a service and a path: mount <service> <path>') ?? {
          kind: 'wire',
          line: `ECHO /queen/ctl ${json({ mount: { service: args[0], at: args[1] } })}`,
          stream: 'none',
        }
      );
    case 'lifecycle':
      if (!args[0] || !isLifecycleCommand(args[0]))
        return { problem: `lifecycle needs one of ${LIFECYCLE_COMMANDS.join(', ')}` };
      return { kind: 'lifecycle', command: args[0] };
    case 'telemetry': {
      const d = args.indexOf('--device');
      if (args[0] !== 'push' || !args[1] || d < 2 || !args[d + 1])
        return { problem: 'telemetry needs `telemetry push <file> --device <id>`' };
      return { kind: 'telemetry', file: args[1], device: args[d + 1]! };
    }
    case 'pool': {
      if (args[0] !== 'bench') return { problem: 'pool needs `pool bench path=<p> ops=<n> batch=<n> …`' };
      const options: Record<string, string> = {};
      for (const kv of args.slice(1)) {
        const m = /^(\w+)=(.*)$/.exec(kv);
        if (!m) return { problem: `pool bench: "${kv}" is not key=value` };
        if (!(m[1]! in POOL_OPTIONS)) return { problem: `pool bench: unknown option ${m[1]}` };
        if (!POOL_OPTIONS[m[1]!])
          return {
            problem: `pool bench: option ${m[1]} is documented but this runner does not implement it`,
          };
        options[m[1]!] = m[2]!;
      }
      for (const k of ['path', 'ops', 'batch']) if (!options[k]) return { problem: `pool bench needs ${k}=` };
      for (const k of ['ops', 'batch', 'payload_bytes', 'delay_ms'])
        if (options[k] !== undefined && !/^\d+$/.test(options[k]))
          return { problem: `pool bench: ${k}=${options[k]} is not a whole number` };
      return { kind: 'pool', options };
    }
    case 'quit':
      return { kind: 'quit' };
    case 'detach':
      return { kind: 'detach' };
    default:
      return { problem: `unknown command "${cmd}" (known: ${SHELL_COMMANDS.join(', ')}, EXPECT, WAIT)` };
  }
}

/** the wire line of a telemetry segment append */
export function telemetrySegmentLine(device: string, seg: string, payload: string): string {
  const body = { schema: 'cohsh-telemetry-push/v1', seq: 1, mime: 'text/plain', payload };
  return `ECHO /queen/telemetry/${device}/seg/${seg} ${json(body)}`;
}
