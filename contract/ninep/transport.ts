// Byte transports the 9P client runs over: TCP, TLS (optionally with a client
// certificate), and an in-memory pair for tests. Connecting is bounded and
// says where it was trying to go.
import net from 'node:net';
import tls from 'node:tls';
import { NinepConnectionError } from './errors.ts';

export interface Transport {
  /** e.g. "tls://127.0.0.1:5645" */
  readonly description: string;
  write(frame: Buffer): void;
  onData(cb: (chunk: Buffer) => void): void;
  /**
   * Read into the memory `next()` returns (at least 64 KiB each time) rather than fresh buffers;
   * the chunks given to onData are then views of it. Offered by plain TCP only.
   */
  readInto?(next: () => Buffer): void;
  /** called once when the transport is gone, with the cause if it failed */
  onClose(cb: (err?: Error) => void): void;
  close(): void;
  /** half-close: no more bytes from us, keep reading (TCP/TLS only) */
  end?(): void;
  /** the peer's certificate subject when this is TLS, for evidence */
  readonly peer?: string;
}

export interface TlsClientOptions {
  /** PEM of the CA that signed the server's certificate */
  ca?: string | Buffer;
  /** PEM client certificate and key for mutual TLS; omit to connect without one */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** SNI / identity check name; defaults to the host */
  servername?: string;
  /** default true; false only for tests that probe a server with a self-made certificate */
  rejectUnauthorized?: boolean;
}

export interface Endpoint {
  transport: 'tcp' | 'tls';
  host: string;
  port: number;
  tls?: TlsClientOptions;
}

/**
 * A socket read through net's `onread`: each read lands in memory the consumer chooses
 * (readInto) instead of a fresh 64 KiB buffer, so the framer can keep consecutive reads
 * contiguous and reuse that memory once its frames are released.
 */
export interface DirectReader {
  listen(cb: (chunk: Buffer) => void): void;
  readInto(next: () => Buffer): void;
  onread: { buffer: () => Buffer; callback: (nread: number, buf: Buffer) => boolean };
}

export function directReader(): DirectReader {
  let next: (() => Buffer) | undefined;
  const listeners: Array<(chunk: Buffer) => void> = [];
  // bytes that arrive before anyone listens are kept for the first listener, as 'data' would
  const early: Buffer[] = [];
  return {
    listen(cb) {
      listeners.push(cb);
      for (const chunk of early.splice(0)) cb(chunk);
    },
    readInto(fn) {
      next = fn;
    },
    onread: {
      // until a consumer says where, each read gets memory of its own (as without onread)
      buffer: () => (next ? next() : Buffer.allocUnsafe(64 * 1024)),
      callback(nread, buf) {
        // buf is the view buffer() returned: its first nread bytes are the data
        const chunk = buf.subarray(0, nread);
        if (listeners.length === 0) early.push(chunk);
        for (const cb of listeners) cb(chunk);
        return true;
      },
    },
  };
}

/** Wrap a connected socket (client or server side) as a Transport. */
export function socketTransport(
  sock: net.Socket,
  description: string,
  peer?: string,
  direct?: DirectReader,
): Transport {
  let closed = false;
  let closeErr: Error | undefined;
  const closeCbs: Array<(err?: Error) => void> = [];
  sock.on('error', (e) => {
    closeErr ??= e;
  });
  sock.on('close', () => {
    if (closed) return;
    closed = true;
    for (const cb of closeCbs) cb(closeErr);
  });
  sock.setNoDelay(true);
  // frames written in one turn of the event loop (a refill of the read window) leave in one
  // writev: a loopback write syscall costs about as much as a 64 KiB reply, so batching them
  // is most of the per-message cost on the sending side
  let corked = false;
  const uncork = () => {
    corked = false;
    sock.uncork();
  };
  return {
    description,
    peer,
    write(frame) {
      if (sock.destroyed) return;
      if (!corked) {
        corked = true;
        sock.cork();
        process.nextTick(uncork);
      }
      sock.write(frame);
    },
    onData(cb) {
      if (direct) direct.listen(cb);
      else sock.on('data', cb);
    },
    readInto: direct ? (next) => direct.readInto(next) : undefined,
    onClose(cb) {
      if (closed) cb(closeErr);
      else closeCbs.push(cb);
    },
    close() {
      sock.destroy();
    },
    end() {
      sock.end();
    },
  };
}

/** Open a TCP or TLS connection, bounded by timeoutMs. */
/**
 * Check the server's certificate against `name`. A DNS name goes out as SNI; an IP
 * address may not (RFC 6066: Node warns and will ignore it), so it is checked
 * against the certificate's IP SANs without being sent.
 */
function serverNameOptions(name: string): tls.ConnectionOptions {
  if (!net.isIP(name)) return { servername: name };
  return { checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert) };
}

export function connectTransport(ep: Endpoint, timeoutMs: number, signal?: AbortSignal): Promise<Transport> {
  const description = `${ep.transport}://${ep.host}:${ep.port}`;
  return new Promise<Transport>((resolve, reject) => {
    let settled = false;
    // plain TCP reads where the consumer says (zero-copy framing); TLS decrypts into its own buffers
    const direct = ep.transport === 'tcp' ? directReader() : undefined;
    const sock: net.Socket =
      ep.transport === 'tls'
        ? tls.connect({
            host: ep.host,
            port: ep.port,
            ca: ep.tls?.ca,
            cert: ep.tls?.cert,
            key: ep.tls?.key,
            ...serverNameOptions(ep.tls?.servername ?? ep.host),
            rejectUnauthorized: ep.tls?.rejectUnauthorized ?? true,
          })
        : net.connect({ host: ep.host, port: ep.port, onread: direct!.onread });
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.destroy();
      reject(new NinepConnectionError(`could not connect to ${description}: ${why}`));
    };
    const onAbort = () => fail('cancelled');
    const timer = setTimeout(
      () => fail(`no ${ep.transport === 'tls' ? 'TLS handshake' : 'connection'} within ${timeoutMs} ms`),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('error', (e) => fail(e.message));
    sock.once('close', () => fail('closed by the peer during connect'));
    sock.once(ep.transport === 'tls' ? 'secureConnect' : 'connect', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.removeAllListeners('error');
      sock.removeAllListeners('close');
      let peer: string | undefined;
      if (sock instanceof tls.TLSSocket) {
        const pc = sock.getPeerCertificate();
        peer = pc?.subject ? `CN=${pc.subject.CN ?? '?'}` : undefined;
      }
      resolve(socketTransport(sock, description, peer, direct));
    });
  });
}

/** Two connected in-memory transports (client side, server side) for tests. */
export function memoryTransportPair(): [Transport, Transport & { feed(b: Buffer): void }] {
  type Side = { data: Array<(b: Buffer) => void>; close: Array<(e?: Error) => void>; closed: boolean };
  const a: Side = { data: [], close: [], closed: false };
  const b: Side = { data: [], close: [], closed: false };
  const closeBoth = () => {
    for (const s of [a, b]) {
      if (s.closed) continue;
      s.closed = true;
      for (const cb of s.close) cb();
    }
  };
  const make = (self: Side, other: Side, description: string) => ({
    description,
    write(frame: Buffer) {
      if (self.closed) return;
      for (const cb of other.data) cb(frame);
    },
    onData(cb: (b: Buffer) => void) {
      self.data.push(cb);
    },
    onClose(cb: (e?: Error) => void) {
      if (self.closed) cb();
      else self.close.push(cb);
    },
    close: closeBoth,
  });
  const client = make(a, b, 'memory://client');
  const server = {
    ...make(b, a, 'memory://server'),
    /** deliver bytes to the client as if the server had sent them */
    feed(buf: Buffer) {
      if (a.closed) return;
      for (const cb of a.data) cb(buf);
    },
  };
  return [client, server];
}
