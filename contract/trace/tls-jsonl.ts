// One request, one response, over mutual TLS: a JSON line each way, then the
// connection closes. Used between reference queens and by the harness to drive
// them. Every exchange is bounded by a timeout and says what it waited for.
// Both halves live here because a queen is both: it serves its peers and asks them
// for votes. What to ask and how to judge the answers is each side's own code
// (harness/trace/queen-client.ts, reference/queens/).
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface TlsMaterial {
  /** PEM text */
  ca: string;
  cert: string;
  key: string;
}

export class ExchangeError extends Error {
  override name = 'ExchangeError';
  constructor(
    message: string,
    readonly reason: 'timeout' | 'closed' | 'refused' | 'tls' | 'bad-response',
  ) {
    super(message);
  }
}

/** Largest line either side accepts: segments are small (a vote starts at 4 KB), so this is generous. */
export const MAX_LINE = 4 * 1024 * 1024;

function readOneLine(sock: TLSSocket, what: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (err?: ExchangeError, line?: string): void => {
      clearTimeout(timer);
      sock.removeAllListeners('data');
      sock.removeAllListeners('end');
      sock.removeAllListeners('close');
      if (err) reject(err);
      else resolve(line!);
    };
    const timer = setTimeout(
      () =>
        done(
          new ExchangeError(
            `${what}: no reply within ${timeoutMs} ms (last bytes seen: ${JSON.stringify(buf.slice(-80))})`,
            'timeout',
          ),
        ),
      timeoutMs,
    );
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(undefined, buf.slice(0, nl));
      else if (buf.length > MAX_LINE)
        done(new ExchangeError(`${what}: reply longer than ${MAX_LINE} bytes`, 'bad-response'));
    });
    sock.on('end', () => done(new ExchangeError(`${what}: connection closed before a reply`, 'closed')));
    sock.on('close', () => done(new ExchangeError(`${what}: connection closed before a reply`, 'closed')));
  });
}

/** Send one JSON request to host:port and return the parsed JSON reply. */
export async function exchange<T = unknown>(
  endpoint: { host: string; port: number },
  tls: TlsMaterial,
  request: unknown,
  opts: { timeoutMs: number; what: string; servername?: string },
): Promise<T> {
  const sock = connect({
    host: endpoint.host,
    port: endpoint.port,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    servername: opts.servername ?? 'localhost',
    minVersion: 'TLSv1.3',
  });
  const what = `${opts.what} (${endpoint.host}:${endpoint.port})`;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new ExchangeError(`${what}: TLS handshake not done within ${opts.timeoutMs} ms`, 'timeout')),
        opts.timeoutMs,
      );
      sock.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      sock.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new ExchangeError(
            `${what}: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`,
            e.code === 'ECONNREFUSED' ? 'refused' : 'tls',
          ),
        );
      });
    });
    sock.on('error', () => undefined); // reported through readOneLine's close
    sock.write(`${JSON.stringify(request)}\n`);
    const line = await readOneLine(sock, what, opts.timeoutMs);
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new ExchangeError(`${what}: reply is not JSON: ${line.slice(0, 200)}`, 'bad-response');
    }
  } finally {
    sock.destroy();
  }
}

export interface PeerIdentity {
  /** subject CN of the client certificate, verified against the CA */
  cn: string;
}

export type Handler = (request: unknown, peer: PeerIdentity) => Promise<unknown | undefined>;

/**
 * A mutual-TLS server on 127.0.0.1:port (0: any free port). The handler's value is
 * sent back as one JSON line; `undefined` closes the connection without a reply
 * (what a partitioned node looks like). Bad input gets an error reply, never a crash.
 */
export async function serve(
  tls: TlsMaterial,
  handler: Handler,
  port = 0,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(
    {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    },
    (sock) => {
      sock.on('error', () => undefined);
      const cn = String((sock.getPeerCertificate().subject as { CN?: string } | undefined)?.CN ?? '');
      readOneLine(sock, 'request', 10_000).then(
        async (line) => {
          let req: unknown;
          try {
            req = JSON.parse(line);
          } catch {
            sock.end(
              `${JSON.stringify({ error: { name: 'BadRequest', message: 'request is not one JSON line' } })}\n`,
            );
            return;
          }
          try {
            const res = await handler(req, { cn });
            if (res === undefined) sock.destroy();
            else if (!sock.destroyed) sock.end(`${JSON.stringify(res)}\n`);
          } catch (e) {
            const err = e as Error;
            if (!sock.destroyed)
              sock.end(`${JSON.stringify({ error: { name: err.name, message: err.message } })}\n`);
          }
        },
        () => sock.destroy(),
      );
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
