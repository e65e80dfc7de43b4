// Talking to a federation queen over mutual TLS. The client proves itself with its own
// certificate and accepts the queen only if the queen's certificate is issued by the
// federation CA and names the expected queen id. Every failure says which queen, where,
// and what went wrong in words (untrusted CA, wrong identity, refused, no answer).
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { QueenEndpoint, QueenRequest, QueenResponse } from '../../contract/federation/queen-protocol.ts';
import type { TlsIdentity } from '../../contract/federation/resources.ts';

export class QueenCallError extends Error {
  override name = 'QueenCallError';
  constructor(
    message: string,
    readonly code: 'untrusted' | 'identity' | 'refused' | 'timeout' | 'protocol' | 'unreachable',
  ) {
    super(message);
  }
}

const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
]);

function certNames(c: PeerCertificate): string[] {
  const sans = (c.subjectaltname ?? '').split(',').map((s) => s.trim());
  const dns = sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  const cn = c.subject?.CN;
  return [...new Set([...dns, ...(typeof cn === 'string' ? [cn] : [])])];
}

function describe(ep: QueenEndpoint): string {
  return `queen ${ep.queen_id} at ${ep.host}:${ep.port}`;
}

/** Send one request and read one response line; bounded by timeoutMs. */
export function queenCall<R extends QueenRequest>(
  ep: QueenEndpoint,
  id: TlsIdentity,
  req: R,
  timeoutMs = 3000,
): Promise<QueenResponse<R>> {
  return new Promise((resolve, reject) => {
    let stage = 'connecting';
    let buf = '';
    let settled = false;
    let sock: TLSSocket;
    const finish = (err: Error | undefined, value?: QueenResponse<R>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock?.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new QueenCallError(
            `no answer from ${describe(ep)} within ${timeoutMs} ms (stage: ${stage}; received so far: ${JSON.stringify(buf.slice(0, 200))})`,
            'timeout',
          ),
        ),
      timeoutMs,
    );
    try {
      sock = connect({
        host: ep.host,
        port: ep.port,
        ca: readFileSync(id.ca),
        cert: readFileSync(id.cert),
        key: readFileSync(id.key),
        servername: ep.queen_id,
        checkServerIdentity: (_host, cert) => {
          const names = certNames(cert);
          if (names.includes(ep.queen_id)) return undefined;
          return new QueenCallError(
            `${describe(ep)} presented the certificate of ${names.join(', ') || 'nobody'}, not of ${ep.queen_id}`,
            'identity',
          );
        },
      });
    } catch (e) {
      finish(
        new QueenCallError(
          `cannot reach ${describe(ep)}: ${(e as Error).message} (check the TLS files ${id.cert}, ${id.key}, ${id.ca})`,
          'unreachable',
        ),
      );
      return;
    }
    sock.setEncoding('utf8');
    sock.on('secureConnect', () => {
      stage = 'TLS established, request sent';
      sock.write(`${JSON.stringify(req)}\n`);
    });
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > 1_000_000)
        return finish(
          new QueenCallError(`${describe(ep)} sent more than 1 MB without a newline`, 'protocol'),
        );
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        finish(undefined, JSON.parse(buf.slice(0, nl)) as QueenResponse<R>);
      } catch {
        finish(
          new QueenCallError(
            `${describe(ep)} answered with a line that is not JSON: ${JSON.stringify(buf.slice(0, 200))}`,
            'protocol',
          ),
        );
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof QueenCallError) return finish(e);
      const code = e.code ?? '';
      if (UNTRUSTED_CODES.has(code)) {
        return finish(
          new QueenCallError(
            `${describe(ep)} presented a certificate that is not issued by the federation CA (${code}); it is not a trusted member of this federation`,
            'untrusted',
          ),
        );
      }
      if (
        /alert (unknown ca|bad certificate|certificate unknown|certificate required)/i.test(e.message) ||
        code === 'ECONNRESET'
      ) {
        return finish(
          new QueenCallError(
            `${describe(ep)} refused our client certificate during the TLS handshake (${e.message.trim()}): this side is not trusted by its federation CA`,
            'refused',
          ),
        );
      }
      if (code === 'ECONNREFUSED')
        return finish(new QueenCallError(`${describe(ep)} is not listening (ECONNREFUSED)`, 'unreachable'));
      finish(
        new QueenCallError(`${describe(ep)}: ${code || 'error'} ${e.message} (stage: ${stage})`, 'protocol'),
      );
    });
    // under TLS 1.3 a server that rejects the client certificate does so after the client
    // has finished its side of the handshake, and the client often sees only the close
    sock.on('end', () =>
      finish(
        new QueenCallError(
          `${describe(ep)} closed the connection without answering (stage: ${stage}); under TLS 1.3 this is how a queen refuses a client certificate its federation CA did not issue`,
          'refused',
        ),
      ),
    );
  });
}
