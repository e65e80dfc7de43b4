// A reference queen as its own process:
//   tsx reference/queens/main.ts --id q1 --ns-root <dir> --ca <pem> --cert <pem> --key <pem>
//                                [--defect <name>]
//                                [--vote-timeout-ms 500] [--segment-age-ms 1000]
// It listens for mutual TLS on 127.0.0.1 (a free port), prints one line
//   {"ready":{"id":"q1","port":N,"publicKey":"<ed25519 spki pem>"}}
// on stdout, and then serves peers (CN = member id) and the controller (CN = controller).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exchange, serve } from '../../contract/trace/tls-jsonl.ts';
import { Queen } from './queen.ts';
import { CONTROLLER_CN, handleControl } from './control.ts';

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    'ns-root': { type: 'string' },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    defect: { type: 'string' },
    'vote-timeout-ms': { type: 'string', default: '500' },
    'segment-age-ms': { type: 'string', default: '1000' },
  },
});
if (!values.id || !values['ns-root'] || !values.ca || !values.cert || !values.key) {
  console.error(
    'usage: main.ts --id <id> --ns-root <dir> --ca <pem> --cert <pem> --key <pem> [--defect <name>]\n' +
      '  the certificate (CN = <id>) must be for both TLS server and client, from the CA given',
  );
  process.exit(2);
}
const id = values.id;
const tls = {
  ca: readFileSync(values.ca, 'utf8'),
  cert: readFileSync(values.cert, 'utf8'),
  key: readFileSync(values.key, 'utf8'),
};

const queen = new Queen({
  id,
  nsRoot: values['ns-root'],
  defect: values.defect || undefined,
  voteTimeoutMs: Number(values['vote-timeout-ms']),
  segmentAgeMs: Number(values['segment-age-ms']),
  send: (member, message, timeoutMs) =>
    exchange(member, tls, message, { timeoutMs, what: `${id} -> ${member.id}` }),
});

const server = await serve(tls, async (req, peer) => {
  const msg = (req ?? {}) as Record<string, unknown>;
  if (msg.type === 'control') {
    if (peer.cn !== CONTROLLER_CN)
      return {
        error: {
          name: 'Forbidden',
          message: `control needs the ${CONTROLLER_CN} certificate, not ${peer.cn}`,
        },
      };
    return handleControl(queen, msg);
  }
  if (peer.cn === CONTROLLER_CN)
    return { error: { name: 'Forbidden', message: 'the controller does not take part in votes' } };
  return queen.handlePeer(msg, peer.cn);
});

process.stdout.write(
  `${JSON.stringify({ ready: { id, port: server.port, publicKey: queen.keys.publicKeyPem } })}\n`,
);

const shutdown = (): void => {
  queen.stop();
  void server.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
