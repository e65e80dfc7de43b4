// One 9P2000 connection to the reference server. Requests are served at once
// (the tree is in memory), so nothing is ever in flight and Tflush is always
// answered with Rflush. Malformed frames whose header is intact are answered
// with Rerror and the connection goes on; a frame whose size cannot be trusted
// closes the connection. A partial frame left unfinished for too long closes
// it too, so a slow or stuck peer cannot hold a connection forever.
import {
  decode,
  encode,
  encodeStats,
  isRequest,
  peekHeader,
  wireName,
  DMDIR,
  IOHDRSZ,
  NOFID,
  NOTAG,
  type Message,
  type Qid,
} from '../../contract/ninep/codec.ts';
import { Framer } from '../../contract/ninep/framer.ts';
import type { Transport } from '../../contract/ninep/transport.ts';
import { NinepProtocolError } from '../../contract/ninep/errors.ts';
import { contentOf, isDir, makeDir, makeFile, resolveParts, statOf, touch, type Node } from './namespace.ts';
import { decide, type AccessOptions, type AccessSubject, type Op } from './access.ts';
import type { AuditLog } from './audit.ts';
import { clipText, quoteName } from './bounded-text.ts';

export interface AgentBinding {
  subject: AccessSubject;
  rootParts: string[];
}

export interface SessionContext {
  transport: 'secure9p' | 'plain';
  /** identity from the client certificate; when absent the Tattach uname is used */
  certIdentity?: string;
  peer: string;
  maxMsize: number;
  tree: Node;
  audit: AuditLog;
  bindAgent(identity: string, aname: string): AgentBinding | undefined;
  access: AccessOptions;
  /** secure9p-traversal defect: '..' at an agent's root climbs out of it */
  traversalEscapes?: boolean;
  /** close a connection whose partial frame has not completed within this many ms */
  partialFrameTimeoutMs?: number;
}

interface OpenState {
  read: boolean;
  write: boolean;
  removeOnClunk: boolean;
  /** directory reads: the next offset and the entries still to send */
  dirOffset: bigint;
  dirPending?: Buffer[];
}

interface Fid {
  /** path in the global tree */
  parts: string[];
  /** how many leading parts are the agent's root ('..' never pops below it) */
  rootDepth: number;
  node: Node;
  binding: AgentBinding;
  open?: OpenState;
}

class Refusal extends Error {}

export class Session {
  private readonly framer: Framer;
  private readonly fids = new Map<number, Fid>();
  private msize: number;
  private versioned = false;
  private partialTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly t: Transport,
    private readonly ctx: SessionContext,
  ) {
    this.msize = ctx.maxMsize;
    this.framer = new Framer(ctx.maxMsize);
    t.onData((chunk) => this.onData(chunk));
    t.onClose(() => this.shutdown());
  }

  private shutdown(): void {
    this.closed = true;
    clearTimeout(this.partialTimer);
    this.fids.clear();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    const { frames, error } = this.framer.push(chunk);
    for (const f of frames) {
      if (this.closed) return;
      this.onFrameSafely(f);
    }
    if (error) {
      // the stream cannot be resynchronised after a size we cannot trust
      this.closed = true;
      this.t.close();
      return;
    }
    clearTimeout(this.partialTimer);
    if (this.framer.pending > 0) {
      this.partialTimer = setTimeout(() => this.t.close(), this.ctx.partialFrameTimeoutMs ?? 5000);
      this.partialTimer.unref?.();
    }
  }

  /**
   * Send a reply. A reply that cannot be encoded, or would exceed the negotiated msize, is
   * replaced by a generic Rerror: a reply the client cannot take must not be sent, and a
   * failure here must not escape into the socket's data handler (it would end the process).
   */
  private send(m: Message): void {
    let frame: Buffer | undefined;
    try {
      frame = encode(m);
    } catch {
      frame = undefined;
    }
    if (!frame || frame.length > this.msize) {
      const why = frame
        ? `${wireName(m.type)} of ${frame.length} bytes exceeds msize ${this.msize}`
        : `${wireName(m.type)} could not be encoded`;
      frame = encode({
        type: 'Rerror',
        tag: m.tag,
        ename: `internal error: the reply was not sent (${why})`,
      });
    }
    this.t.write(frame);
  }

  /** Rerror with a text bounded to fit msize (texts may quote client input). */
  private error(tag: number, ename: string): void {
    // Rerror = size[4] type[1] tag[2] ename[s]: 9 bytes around the text
    this.send({ type: 'Rerror', tag, ename: clipText(ename, Math.min(2048, this.msize - 9)) });
  }

  private onFrame(frame: Buffer): void {
    const { tag, typeByte } = peekHeader(frame);
    let m: Message;
    try {
      m = decode(frame, '9P2000');
    } catch (e) {
      const why = e instanceof NinepProtocolError ? e.message : String(e);
      this.error(tag, `malformed request (type ${typeByte}): ${why}`);
      return;
    }
    if (!isRequest(m.type)) {
      this.error(tag, `${wireName(m.type)} is a reply, not a request`);
      return;
    }
    try {
      this.handle(m);
    } catch (e) {
      this.error(tag, e instanceof Refusal ? e.message : `internal error: ${(e as Error).message}`);
    }
  }

  /** One frame, with nothing allowed to escape: a failure in the error path closes this connection only. */
  private onFrameSafely(frame: Buffer): void {
    try {
      this.onFrame(frame);
    } catch {
      this.closed = true;
      this.t.close();
    }
  }

  private handle(m: Message): void {
    if (m.type === 'Tversion') return this.version(m);
    if (!this.versioned) throw new Refusal(`${wireName(m.type)} before Tversion: Tversion must come first`);
    switch (m.type) {
      case 'Tauth':
        throw new Refusal('authentication is done by TLS; no Tauth needed');
      case 'Tattach':
        return this.attach(m);
      case 'Tflush':
        return this.send({ type: 'Rflush', tag: m.tag });
      case 'Twalk':
        return this.walk(m);
      case 'Topen':
        return this.open(m);
      case 'Tcreate':
        return this.create(m);
      case 'Tread':
        return this.read(m);
      case 'Twrite':
        return this.write(m);
      case 'Tclunk':
        return this.clunk(m);
      case 'Tremove':
        return this.remove(m);
      case 'Tstat':
        return this.send({ type: 'Rstat', tag: m.tag, stat: this.statFor(this.fid(m.fid)) });
      case 'Twstat':
        this.fid(m.fid);
        throw new Refusal('wstat is not supported by this server');
      default:
        throw new Refusal(`${wireName(m.type)} is not supported`);
    }
  }

  private version(m: Extract<Message, { type: 'Tversion' }>): void {
    this.fids.clear();
    if (m.msize < 256) throw new Refusal(`msize ${m.msize} is too small (minimum 256)`);
    if (!m.version.startsWith('9P2000')) {
      this.versioned = false;
      return this.send({
        type: 'Rversion',
        tag: m.tag,
        msize: Math.min(m.msize, this.ctx.maxMsize),
        version: 'unknown',
      });
    }
    this.msize = Math.min(m.msize, this.ctx.maxMsize);
    this.framer.maxFrame = this.msize;
    this.versioned = true;
    this.send({
      type: 'Rversion',
      tag: m.tag === NOTAG ? NOTAG : m.tag,
      msize: this.msize,
      version: '9P2000',
    });
  }

  private fid(n: number): Fid {
    const f = this.fids.get(n);
    if (!f) throw new Refusal(`unknown fid ${n}`);
    return f;
  }

  private viewPath(f: { parts: string[]; rootDepth: number }): string {
    return '/' + f.parts.slice(f.rootDepth).join('/');
  }

  private event(f: Fid, event: string, detail: string, ok: boolean): void {
    if (this.ctx.audit.untraced(detail)) return;
    this.ctx.audit.event(f.binding.subject.agent, event, detail, ok);
  }

  /** Check access; on refusal the denial is logged and the client gets the error with its trace id. */
  private check(
    f: Fid,
    op: Op,
    path: string,
    node: Node | undefined,
    isDirectory: boolean,
    what: string,
  ): void {
    const d = decide(
      f.binding.subject,
      op,
      path,
      { system: node?.system ?? false, isDir: isDirectory },
      this.ctx.access,
    );
    if (!d.ok) {
      throw new Refusal(
        this.ctx.audit.deny({
          transport: this.ctx.transport,
          actor: f.binding.subject.agent,
          op: what,
          path,
          reason: d.reason,
          peer: this.ctx.peer,
        }),
      );
    }
  }

  private attach(m: Extract<Message, { type: 'Tattach' }>): void {
    if (m.afid !== NOFID) throw new Refusal('no authentication fid is needed (afid must be NOFID)');
    if (this.fids.has(m.fid)) throw new Refusal(`fid ${m.fid} is already in use`);
    const identity = this.ctx.certIdentity ?? m.uname;
    const binding = this.ctx.bindAgent(identity, m.aname);
    if (!binding) {
      throw new Refusal(
        this.ctx.audit.deny({
          transport: this.ctx.transport,
          actor: identity || '(none)',
          op: 'attach',
          path: '/',
          reason: `agent ${quoteName(identity)} has no namespace on this server`,
          peer: this.ctx.peer,
        }),
      );
    }
    const node = resolveParts(this.ctx.tree, binding.rootParts);
    if (!node) throw new Refusal(`the root of ${quoteName(identity)} is missing`);
    const f: Fid = { parts: [...binding.rootParts], rootDepth: binding.rootParts.length, node, binding };
    this.fids.set(m.fid, f);
    this.ctx.audit.event(binding.subject.agent, 'attach', `${this.ctx.transport} ${this.ctx.peer}`, true);
    this.send({ type: 'Rattach', tag: m.tag, qid: node.qid });
  }

  private walk(m: Extract<Message, { type: 'Twalk' }>): void {
    const f = this.fid(m.fid);
    if (f.open) throw new Refusal(`fid ${m.fid} is open; walk needs an unopened fid`);
    if (m.newfid !== m.fid && this.fids.has(m.newfid))
      throw new Refusal(`newfid ${m.newfid} is already in use`);
    for (const n of m.wnames)
      if (n === '' || n.includes('/')) throw new Refusal(`invalid path element ${quoteName(n)}`);
    let parts = [...f.parts];
    let depth = f.rootDepth;
    let node = f.node;
    const qids: Qid[] = [];
    for (const name of m.wnames) {
      if (!isDir(node)) {
        if (qids.length === 0)
          throw new Refusal(`${this.viewPath({ parts, rootDepth: depth })} is not a directory`);
        break;
      }
      if (name === '..') {
        if (parts.length > depth) parts.pop();
        else if (this.ctx.traversalEscapes && parts.length > 0) {
          parts.pop();
          depth = parts.length;
        }
        node = resolveParts(this.ctx.tree, parts)!;
      } else {
        const child = node.children!.get(name);
        if (!child) {
          if (qids.length === 0) {
            this.event(
              f,
              'walk',
              `${this.viewPath({ parts: [...parts, name], rootDepth: depth })} not found`,
              false,
            );
            throw new Refusal(
              `file does not exist: ${quoteName(name)} in ${clipText(this.viewPath({ parts, rootDepth: depth }))}`,
            );
          }
          break;
        }
        parts = [...parts, name];
        node = child;
      }
      qids.push(node.qid);
    }
    if (qids.length === m.wnames.length) {
      const nf: Fid = { parts, rootDepth: depth, node, binding: f.binding };
      this.fids.set(m.newfid, nf);
      if (m.wnames.length > 0) this.event(nf, 'walk', this.viewPath(nf), true);
    }
    this.send({ type: 'Rwalk', tag: m.tag, qids });
  }

  private open(m: Extract<Message, { type: 'Topen' }>): void {
    const f = this.fid(m.fid);
    if (f.open) throw new Refusal(`fid ${m.fid} is already open`);
    const base = m.mode & 3;
    const trunc = (m.mode & 0x10) !== 0;
    const rclose = (m.mode & 0x40) !== 0;
    const wantWrite = base === 1 || base === 2 || trunc;
    const wantRead = base === 0 || base === 2 || base === 3;
    const path = this.viewPath(f);
    if (isDir(f.node) && (wantWrite || rclose))
      throw new Refusal(`${path} is a directory; it can only be opened for reading`);
    if (wantRead) this.check(f, 'read', path, f.node, isDir(f.node), 'read');
    if (wantWrite || rclose) this.check(f, 'write', path, f.node, false, 'write');
    if (trunc && !isDir(f.node)) {
      f.node.data = Buffer.alloc(0);
      touch(f.node);
    }
    f.open = { read: wantRead, write: wantWrite, removeOnClunk: rclose, dirOffset: 0n };
    this.send({ type: 'Ropen', tag: m.tag, qid: f.node.qid, iounit: this.msize - IOHDRSZ });
  }

  private create(m: Extract<Message, { type: 'Tcreate' }>): void {
    const f = this.fid(m.fid);
    if (f.open) throw new Refusal(`fid ${m.fid} is open; create needs an unopened directory fid`);
    if (!isDir(f.node)) throw new Refusal(`${this.viewPath(f)} is not a directory`);
    if (m.name === '' || m.name === '.' || m.name === '..' || m.name.includes('/'))
      throw new Refusal(`illegal file name ${quoteName(m.name)}`);
    const parentPath = this.viewPath(f);
    const path = parentPath === '/' ? `/${m.name}` : `${parentPath}/${m.name}`;
    if (f.node.children!.has(m.name)) throw new Refusal(`${path} already exists`);
    this.check(f, 'write', path, f.node.system ? f.node : undefined, false, 'create');
    const dir = (m.perm & DMDIR) !== 0;
    if (dir && (m.mode & 3) !== 0) throw new Refusal('a directory can only be created with mode OREAD');
    const agent = f.binding.subject.agent;
    const node = dir ? makeDir(m.name, agent) : makeFile(m.name, agent);
    node.mode = dir ? (DMDIR | (m.perm & 0o777)) >>> 0 : m.perm & 0o777;
    f.node.children!.set(m.name, node);
    touch(f.node);
    f.parts = [...f.parts, m.name];
    f.node = node;
    const base = m.mode & 3;
    f.open = {
      read: base === 0 || base === 2,
      write: base === 1 || base === 2,
      removeOnClunk: (m.mode & 0x40) !== 0,
      dirOffset: 0n,
    };
    this.event(f, 'create', path, true);
    this.send({ type: 'Rcreate', tag: m.tag, qid: node.qid, iounit: this.msize - IOHDRSZ });
  }

  private read(m: Extract<Message, { type: 'Tread' }>): void {
    const f = this.fid(m.fid);
    if (!f.open?.read) throw new Refusal(`fid ${m.fid} is not open for reading`);
    const count = Math.min(m.count, this.msize - IOHDRSZ);
    if (isDir(f.node)) return this.readDir(f, m.tag, m.offset, count);
    const content = contentOf(f.node);
    const start = m.offset > BigInt(content.length) ? content.length : Number(m.offset);
    const data = content.subarray(start, start + count);
    this.event(f, 'read', `${this.viewPath(f)} offset=${m.offset} count=${data.length}`, true);
    this.send({ type: 'Rread', tag: m.tag, data });
  }

  private readDir(f: Fid, tag: number, offset: bigint, count: number): void {
    const st = f.open!;
    if (offset === 0n) {
      st.dirPending = [...f.node.children!.values()].map((n) => encodeStats([statOf(n)]));
      st.dirOffset = 0n;
    } else if (offset !== st.dirOffset || !st.dirPending) {
      throw new Refusal(`bad directory read offset ${offset} (expected ${st.dirOffset})`);
    }
    const out: Buffer[] = [];
    let used = 0;
    while (st.dirPending.length > 0 && used + st.dirPending[0]!.length <= count) {
      const e = st.dirPending.shift()!;
      out.push(e);
      used += e.length;
    }
    if (out.length === 0 && st.dirPending.length > 0)
      throw new Refusal(`count ${count} is too small for the next directory entry`);
    st.dirOffset += BigInt(used);
    this.event(f, 'read', `${this.viewPath(f)} directory`, true);
    this.send({ type: 'Rread', tag, data: Buffer.concat(out) });
  }

  private write(m: Extract<Message, { type: 'Twrite' }>): void {
    const f = this.fid(m.fid);
    if (!f.open?.write) throw new Refusal(`fid ${m.fid} is not open for writing`);
    if (isDir(f.node)) throw new Refusal(`${this.viewPath(f)} is a directory`);
    const old = f.node.data ?? Buffer.alloc(0);
    const off = Number(m.offset);
    if (off > 64 * 1024 * 1024)
      throw new Refusal(`offset ${m.offset} is beyond the 64 MiB this server keeps per file`);
    const end = off + m.data.length;
    const next = Buffer.alloc(Math.max(old.length, end));
    old.copy(next);
    next.set(m.data, off);
    f.node.data = next;
    touch(f.node);
    this.event(f, 'write', `${this.viewPath(f)} offset=${m.offset} count=${m.data.length}`, true);
    this.send({ type: 'Rwrite', tag: m.tag, count: m.data.length });
  }

  private clunk(m: Extract<Message, { type: 'Tclunk' }>): void {
    const f = this.fid(m.fid);
    this.fids.delete(m.fid);
    if (f.open?.removeOnClunk) this.unlink(f);
    this.send({ type: 'Rclunk', tag: m.tag });
  }

  private remove(m: Extract<Message, { type: 'Tremove' }>): void {
    const f = this.fid(m.fid);
    // Tremove clunks the fid whether or not the remove succeeds
    this.fids.delete(m.fid);
    const path = this.viewPath(f);
    this.check(f, 'write', path, f.node, false, 'remove');
    this.unlink(f);
    this.event(f, 'remove', path, true);
    this.send({ type: 'Rremove', tag: m.tag });
  }

  private unlink(f: Fid): void {
    if (f.parts.length <= f.rootDepth) throw new Refusal('the root of a namespace cannot be removed');
    if (isDir(f.node) && f.node.children!.size > 0) throw new Refusal(`${this.viewPath(f)} is not empty`);
    const parent = resolveParts(this.ctx.tree, f.parts.slice(0, -1));
    const name = f.parts[f.parts.length - 1]!;
    if (parent?.children?.get(name) === f.node) {
      parent.children.delete(name);
      touch(parent);
    }
  }

  private statFor(f: Fid): ReturnType<typeof statOf> {
    const s = statOf(f.node);
    return f.parts.length === f.rootDepth ? { ...s, name: '/' } : s;
  }
}
