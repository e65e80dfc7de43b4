import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ensureTestPki, issueClientCert, EXAMPLE_AGENTS, spiffeFor } from '../../reference/pki/index.ts';

const cert = (p: string) => new X509Certificate(readFileSync(p));

describe('test PKI', () => {
  it('makes CA, server, agent, expired and foreign certs once, idempotently, even when raced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cohesix-pki-'));
    try {
      const [a, b] = await Promise.all([ensureTestPki(dir), ensureTestPki(dir)]);
      expect(b).toEqual(a);
      const ca = cert(a.ca.cert);
      const other = cert(a.otherCa.cert);
      expect(ca.ca).toBe(true);
      const server = cert(a.server.cert);
      expect(server.checkIssued(ca)).toBe(true);
      expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
      expect(server.subjectAltName).toContain('DNS:localhost');
      for (const agent of EXAMPLE_AGENTS) {
        const c = cert(a.agents[agent]!.cert);
        expect(c.subject).toContain(`CN=${agent}`);
        expect(c.subjectAltName).toContain(`URI:${spiffeFor(agent)}`);
        expect(c.verify(ca.publicKey)).toBe(true);
      }
      expect(new Date(cert(a.expired.cert).validTo).getTime()).toBeLessThan(Date.now());
      expect(cert(a.foreign.cert).checkIssued(other)).toBe(true);
      expect(cert(a.foreign.cert).checkIssued(ca)).toBe(false);
      expect(statSync(a.ca.key).mode & 0o077).toBe(0);
      const mtime = statSync(a.ca.cert).mtimeMs;
      await ensureTestPki(dir);
      expect(statSync(a.ca.cert).mtimeMs).toBe(mtime);
      const extra = await issueClientCert(a, 'gui_operator', 'spiffe://cohesix/role/gui_operator');
      expect(cert(extra.cert).subjectAltName).toContain('URI:spiffe://cohesix/role/gui_operator');
      expect(await issueClientCert(a, 'gui_operator', 'spiffe://cohesix/role/gui_operator')).toEqual(extra);
      await expect(issueClientCert(a, 'gui_operator', 'spiffe://cohesix/role/other')).rejects.toThrow(
        /already exists/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
