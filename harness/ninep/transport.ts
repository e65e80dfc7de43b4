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
 * Receives a socket's bytes into large slabs instead of one fresh 64 KiB buffer per read
 * (net's `onread`): each read lands right behind the previous one in the current slab, so a
 * frame that two reads split is still one contiguous piece of memory and the framer hands it
 * on as a view, without copying or allocating (only a frame across two slabs is joined). A
 * slab is freed when no frame of it is referenced any more.
 */
export interface SlabReader {
  listen(cb: (chunk: Buffer) => void): void;
  onread: { buffer: () => Buffer; callback: (nread: number, buf: Buffer) => boolean };
}

/** bytes per slab, and the least room a read gets before a new slab is started */
const SLAB_BYTES = 1 << 20;
const MIN_READ_BYTES = 64 * 1024;

export function slabReader(): SlabReader {
  let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  let used = 0;
  const listeners: Array<(chunk: Buffer) => void> = [];
  // bytes that arrive before anyone listens are kept for the first listener, as 'data' would
  const early: Buffer[] = [];
  return {
    listen(cb) {
      listeners.push(cb);
      for (const chunk of early.splice(0)) cb(chunk);
    },
    onread: {
      buffer() {
        if (SLAB_BYTES - used < MIN_READ_BYTES) {
          slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
          used = 0;
        }
        return slab.subarray(used);
      },
      callback(nread, buf) {
        // buf is the view buffer() returned: its first nread bytes are ours to keep
        used += nread;
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
  slabs?: SlabReader,
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
      if (slabs) slabs.listen(cb);
      else sock.on('data', cb);
    },
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
    // plain TCP reads into slabs (zero-copy framing); TLS decrypts into its own buffers anyway
    const slabs = ep.transport === 'tcp' ? slabReader() : undefined;
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
        : net.connect({ host: ep.host, port: ep.port, onread: slabs!.onread });
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
      resolve(socketTransport(sock, description, peer, slabs));
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
