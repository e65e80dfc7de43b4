// How a reference queen greets a peer for the federation handshake: mutual TLS with
// its own certificate, then one `hello` line and one answer line. The reference's own
// few lines (the harness's queen client is the checker's, #16). The peer's
// certificate is judged after the TLS handshake rather than inside it, so the
// refusal can say in words what was wrong: not issued by the federation CA, or
// issued to another queen.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import type { HelloResponse, QueenEndpoint } from '../../contract/federation/queen-protocol.ts';

export interface PeerTls {
  /** PEM files: the federation CA, this queen's certificate and key */
  ca: string;
  cert: string;
  key: string;
}

const MAX_ANSWER = 1 << 20;

function namesOf(sock: TLSSocket): string[] {
  const c = sock.getPeerCertificate();
  const dns = (c.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice('DNS:'.length));
  return typeof c.subject?.CN === 'string' ? [c.subject.CN, ...dns] : dns;
}

async function answerLine(sock: TLSSocket, who: string): Promise<string> {
  let text = '';
  for await (const chunk of sock as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end);
    if (text.length > MAX_ANSWER)
      throw new Error(`${who} sent more than ${MAX_ANSWER} bytes without a newline`);
  }
  // under TLS 1.3 a server refuses a client certificate after the client's side of the handshake: a bare close
  throw new Error(`${who} closed the connection without answering: it refused our certificate, or stopped`);
}

/** The peer's hello; rejects with an Error whose message names the peer and what went wrong. */
export async function greetPeer(
  peer: QueenEndpoint,
  tls: PeerTls,
  timeoutMs: number,
): Promise<HelloResponse> {
  const who = `queen ${peer.queen_id} at ${peer.host}:${peer.port}`;
  const sock = connect({
    host: peer.host,
    port: peer.port,
    servername: peer.queen_id,
    ca: readFileSync(tls.ca),
    cert: readFileSync(tls.cert),
    key: readFileSync(tls.key),
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
  const timer = setTimeout(
    () => sock.destroy(new Error(`no answer from ${who} within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    await once(sock, 'secureConnect').catch((e: Error) => {
      throw new Error(`${who} refused the connection or could not be reached: ${e.message}`);
    });
    if (!sock.authorized)
      throw new Error(
        `${who} presented a certificate not issued by the federation CA (${String(sock.authorizationError)})`,
      );
    const names = namesOf(sock);
    if (!names.includes(peer.queen_id))
      throw new Error(`${who} presented the certificate of ${names.join(', ') || 'nobody'}`);
    sock.write(`${JSON.stringify({ op: 'hello' })}\n`);
    const line = await answerLine(sock, who);
    try {
      return JSON.parse(line) as HelloResponse;
    } catch {
      throw new Error(`${who} answered with a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
    }
  } finally {
    clearTimeout(timer);
    sock.destroy();
  }
}
