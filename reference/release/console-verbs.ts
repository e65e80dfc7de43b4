// The verbs of an attached console session (after AUTH): ATTACH, PING, LS,
// CAT, TAIL, LOG, ECHO. AUTH and QUIT end or gate the connection and live in
// the server. Replies follow the recorded grammar (./acks.ts).
import { catAck, errLine } from './acks.ts';
import { mayAppend, mayRead, type ReleaseNamespace, type Session } from './namespace.ts';
import { checkTicket } from './tickets.ts';

export const ROLES = ['queen', 'worker-heartbeat', 'worker-gpu', 'worker-bus', 'worker-lora'] as const;

export interface VerbDefects {
  workerSeesAll?: boolean;
  /** console-cat-summary: the CAT ack's data= holds the first line only */
  catSummaryFirstLine?: boolean;
}

export interface VerbContext {
  namespace: ReleaseNamespace;
  ticketSecret: Buffer;
  defects: VerbDefects;
  session?: Session;
  reply(line: string): void;
}

export function runVerb(ctx: VerbContext, verb: string, rest: string[]): void {
  const arg = rest.join(' ');
  switch (verb) {
    case 'PING':
      ctx.reply('OK PING reply=pong');
      return ctx.reply('PONG');
    case 'ATTACH':
      return attach(ctx, rest);
    case 'LS':
      return ls(ctx, arg);
    case 'CAT':
    case 'TAIL':
      return read(ctx, verb, arg);
    case 'LOG':
      return read(ctx, 'TAIL', '/log/queen.log');
    case 'ECHO':
      return echo(ctx, arg);
    case 'SPAWN':
      return ctx.reply(errLine('SPAWN', 'unsupported', { error: 'write a spawn command to /queen/ctl' }));
    default:
      return ctx.reply(`ERR PARSE reason=unknown-verb detail=${verb.slice(0, 32)}`);
  }
}

function attach(ctx: VerbContext, args: string[]): void {
  const [spec = '', ticket] = args;
  const [role = '', subject] = spec.split(':');
  if (!(ROLES as readonly string[]).includes(role))
    return ctx.reply(`ERR PARSE reason=unknown-role detail=${role.slice(0, 32)}`);
  if (role !== 'queen') {
    if (!subject) return ctx.reply('ERR ATTACH reason=missing-subject');
    if (!ticket) return ctx.reply('ERR ATTACH reason=missing-ticket');
    const t = checkTicket(ctx.ticketSecret, ticket);
    if (!t.ok) return ctx.reply(`ERR ATTACH reason=${t.reason}`);
    if (t.role !== role || t.subject !== subject) return ctx.reply('ERR ATTACH reason=ticket-mismatch');
  }
  ctx.session = { role, subject };
  ctx.reply(`OK ATTACH role=${role}`);
}

/** a path the namespace does not have: the recorded release answers it as a policy refusal */
const invalidPath = (verb: string, path: string): string =>
  errLine(verb, 'policy', { detail: 'invalid-path', path, error: 'invalid path' });

function ls(ctx: VerbContext, path: string): void {
  if (!ctx.session) return ctx.reply(errLine('LS', 'not-attached'));
  if (!path) return ctx.reply('ERR PARSE reason=missing-path detail=LS');
  if (ctx.session.role !== 'queen' && !ctx.defects.workerSeesAll)
    return ctx.reply(errLine('LS', 'permission', { path, error: 'permission denied' }));
  const names = ctx.namespace.list(path);
  if (!names) return ctx.reply(invalidPath('LS', path));
  ctx.reply(`OK LS path=${path} entries=${names.length}`);
  for (const n of names) ctx.reply(n);
  ctx.reply('END');
}

function read(ctx: VerbContext, verb: 'CAT' | 'TAIL', path: string): void {
  if (!ctx.session) return ctx.reply(errLine(verb, 'not-attached'));
  if (!path) return ctx.reply(`ERR PARSE reason=missing-path detail=${verb}`);
  // a path the role may not see answers as a permission error whether or not it exists
  if (!mayRead(ctx.session, path, ctx.defects.workerSeesAll))
    return ctx.reply(errLine(verb, 'permission', { path, error: 'permission denied' }));
  const node = ctx.namespace.node(path);
  if (!node) return ctx.reply(invalidPath(verb, path));
  const lines = node.read();
  if (verb === 'CAT') {
    ctx.reply(catAck(path, lines, ctx.defects.catSummaryFirstLine));
    if (!node.summaryOnly) for (const l of lines) ctx.reply(l);
  } else {
    ctx.reply(`OK TAIL path=${path}`);
    for (const l of lines) ctx.reply(l);
  }
  ctx.reply('END');
}

function echo(ctx: VerbContext, arg: string): void {
  if (!ctx.session) return ctx.reply(errLine('ECHO', 'not-attached'));
  const sp = arg.indexOf(' ');
  if (sp <= 0) return ctx.reply('ERR PARSE reason=missing-line detail=ECHO');
  const path = arg.slice(0, sp);
  const text = arg.slice(sp + 1);
  if (!mayAppend(ctx.session, path, ctx.defects.workerSeesAll))
    return ctx.reply(errLine('ECHO', 'permission', { path, error: 'permission denied' }));
  const node = ctx.namespace.node(path);
  if (!node) return ctx.reply(invalidPath('ECHO', path));
  if (!node.append)
    return ctx.reply(errLine('ECHO', 'policy', { detail: 'read-only', path, error: 'read-only' }));
  const r = node.append(text);
  if (!r.ok) return ctx.reply(errLine('ECHO', r.reason, { detail: r.detail, path, error: r.error }));
  ctx.reply(`OK ECHO path=${path} bytes=${Buffer.byteLength(text)}`);
}
