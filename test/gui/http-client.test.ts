import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { GuiHttpClient } from '../../harness/gui/http-client.ts';

let server: Server;
let url: string;
const creds = { user: 'operator', pass: 's3cret-pass-123' };

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        peer: req.socket.remoteAddress,
        authorized:
          req.headers.authorization === `Basic ${Buffer.from('operator:s3cret-pass-123').toString('base64')}`,
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('GUI HTTP client', () => {
  it('authenticates without ever recording the credentials', async () => {
    const c = new GuiHttpClient(url, creds, undefined);
    expect((await c.get('/x')).json).toMatchObject({ authorized: true });
    expect((await c.get('/x', { auth: 'none' })).json).toMatchObject({ authorized: false });
    const t = c.transcript();
    expect(t).toMatch(/authorization: Basic \*\*\*/);
    expect(t).not.toContain(creds.pass);
    expect(t).not.toContain(Buffer.from('operator:s3cret-pass-123').toString('base64'));
  });

  it('sends from distinct loopback source addresses and shares one transcript', async () => {
    const a = new GuiHttpClient(url, creds, '127.0.0.31');
    const b = a.as('127.0.0.32');
    expect((await a.get('/')).json).toMatchObject({ peer: '127.0.0.31' });
    expect((await b.get('/')).json).toMatchObject({ peer: '127.0.0.32' });
    expect(a.exchanges).toHaveLength(2);
  });

  it('reports an unreachable GUI as an infrastructure error naming the URL', async () => {
    const c = new GuiHttpClient('http://127.0.0.1:1', creds, undefined);
    await expect(c.get('/api/status')).rejects.toMatchObject({
      name: 'InfraError',
      message: expect.stringContaining('127.0.0.1:1'),
    });
  });
});
