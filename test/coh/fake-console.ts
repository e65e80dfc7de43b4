// A scripted cohsh console for the runner's tests: replies come from a
// function of the line, so each test states exactly what the console says.
// Every wire line it receives is recorded (to prove what was, or was not, sent).
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach } from 'vitest';
import { encodeFrame, FrameDecoder } from '../../contract/cohsh/frame.ts';
import { CohshClient } from '../../harness/cohsh/client.ts';
import type { CohConsole } from '../../harness/coh/run.ts';

export interface FakeConsole {
  port: number;
  received: string[];
  connections: number;
  console: CohConsole;
}

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** `reply(line)` returns the lines to send back; `null` closes the connection */
export async function fakeConsole(reply: (line: string) => string[] | null): Promise<FakeConsole> {
  const f: FakeConsole = { port: 0, received: [], connections: 0, console: undefined as never };
  const server = createServer((s) => {
    f.connections++;
    sockets.add(s);
    const dec = new FrameDecoder();
    s.on('error', () => undefined);
    s.on('data', (d) => {
      for (const fr of dec.push(d)) {
        if (fr.kind === 'invalid-length') {
          f.received.push(`<invalid ${fr.length}>`);
          s.write(encodeFrame('ERR FRAME reason=invalid-length'));
          continue;
        }
        f.received.push(fr.line);
        if (fr.line.startsWith('AUTH ')) {
          s.write(encodeFrame('OK AUTH'));
          continue;
        }
        if (fr.line === 'quit') {
          s.write(encodeFrame('OK QUIT'));
          s.end();
          continue;
        }
        const out = reply(fr.line);
        if (out === null) s.destroy();
        else for (const l of out) s.write(encodeFrame(l));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  f.port = typeof a === 'object' && a ? a.port : 0;
  f.console = {
    open: () => CohshClient.open('127.0.0.1', f.port, 'changeme', { timeoutMs: 2000 }),
  };
  return f;
}
