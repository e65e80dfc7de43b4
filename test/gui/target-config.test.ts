import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientAddressAllocator, resolveGuiTarget } from '../../harness/gui/target-config.ts';

let dir: string;
let pem: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gui-cfg-'));
  pem = join(dir, 'x.pem');
  writeFileSync(pem, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  writeFileSync(join(dir, 'orch_user.json'), JSON.stringify({ user: 'op', pass: 'pw-123456' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = () => ({
  url: 'http://127.0.0.1:8888',
  credentialsFile: join(dir, 'orch_user.json'),
  grpcAddress: '127.0.0.1:50051',
  caCert: pem,
  clientCert: pem,
  clientKey: pem,
});

describe('GUI target config', () => {
  it('resolves credentials from a file and records them as secrets', () => {
    const c = resolveGuiTarget(good());
    expect(c.credentials).toEqual({ user: 'op', pass: 'pw-123456' });
    expect(c.secrets).toContain('pw-123456');
    expect(c.secrets).toContain(Buffer.from('op:pw-123456').toString('base64'));
    expect(c.loopback).toBe(true);
    expect(c.dashboard).toBe(true);
    expect(resolveGuiTarget({ ...good(), dashboard: false }).dashboard).toBe(false);
  });

  it.each([
    ['no url', () => ({ ...good(), url: undefined }), /gui\.url/],
    ['bad url', () => ({ ...good(), url: 'not a url' }), /not a URL/],
    ['no grpc address', () => ({ ...good(), grpcAddress: undefined }), /gui\.grpcAddress/],
    ['no credentials', () => ({ ...good(), credentialsFile: undefined }), /gui\.credentials/],
    ['bad client addresses', () => ({ ...good(), clientAddresses: ['nope'] }), /clientAddresses/],
  ])('rejects %s with a message naming the field', (_what, raw, message) => {
    expect(() => resolveGuiTarget(raw())).toThrow(message);
  });

  it('reports an unreadable certificate as an infrastructure error', () => {
    expect(() => resolveGuiTarget({ ...good(), caCert: join(dir, 'missing.pem') })).toThrow(
      expect.objectContaining({ name: 'InfraError' }),
    );
  });

  it('hands out distinct loopback sources, or the configured ones in turn', () => {
    const next = clientAddressAllocator(resolveGuiTarget(good()));
    const addrs = new Set(Array.from({ length: 50 }, () => next()));
    expect(addrs.size).toBe(50);
    for (const a of addrs) expect(a).toMatch(/^127\.\d+\.\d+\.\d+$/);
    const listed = clientAddressAllocator(
      resolveGuiTarget({ ...good(), url: 'http://10.9.9.9:8888', clientAddresses: ['10.0.0.1', '10.0.0.2'] }),
    );
    expect([listed(), listed(), listed()]).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.1']);
    expect(
      clientAddressAllocator(resolveGuiTarget({ ...good(), url: 'http://10.9.9.9:8888' }))(),
    ).toBeUndefined();
  });
});
