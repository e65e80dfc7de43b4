// The reference uploader over the federation's Secure9P export (the reference Secure9P
// server, mutual TLS, the alerts folder as its backing store): a clean round, and 9P
// failures mid-round (connection reset, Rerror on remove, a Tremove left unanswered, a
// refused mount). Each must leave every alert either still in /srv/alerts or stored
// under its content key, say clearly what happened, and let the next round finish with
// every alert stored exactly once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALERTS_POLICY,
  startAlertsExport,
  type AlertsExport,
} from '../../reference/federation/alerts-export.ts';
import { mountAlerts, type AlertsMountConfig } from '../../reference/federation/uploader/mount.ts';
import { invokeRound } from '../../reference/federation/uploader/invoke-server.ts';
import { remoteAlertNamespace } from '../../reference/federation/uploader/remote-namespace.ts';
import { uploadRound } from '../../reference/federation/uploader/uploader.ts';
import type { ObjectStore } from '../../reference/federation/uploader/object-store.ts';
import { alertsClient, type AlertsClient } from '../../harness/federation/alerts-client.ts';
import { ensureTestPki, issueClientCert, spiffeFor, type CertPair } from '../../reference/pki/index.ts';
import { DEFAULT_PKI_DIR } from '../../reference/secure9p/setup.ts';
import { NinepClient, NinepFs, memoryTransportPair, type Transport } from '../../contract/ninep/index.ts';

const root = mkdtempSync(join(tmpdir(), 'fed-s9p-'));
const alertsDir = join(root, 'alerts');
let ex: AlertsExport;
let reader: CertPair;
let foreign: CertPair;
let queen: AlertsClient;

// the shipped policy plus a reader that may list and read /srv/alerts but not remove from it
const policy = join(root, 'policy.toml');
writeFileSync(
  policy,
  readFileSync(ALERTS_POLICY, 'utf8') +
    '\n[[namespace]]\nagent = "alerts_reader"\nroot = "/srv/reader"\nread_only = false\n' +
    '\n[[policy]]\nagent = "alerts_reader"\nallow = ["read:/srv/alerts"]\n',
);

beforeAll(async () => {
  const pki = await ensureTestPki(DEFAULT_PKI_DIR);
  reader = await issueClientCert(pki, 'alerts_reader', spiffeFor('alerts_reader'));
  foreign = pki.foreign;
  ex = await startAlertsExport({ stateDir: join(root, 'state'), alertsDir, policySource: policy });
  queen = alertsClient({ host: ex.host, port: ex.port, caCert: ex.caCert, ...ex.queen });
}, 60_000);
afterAll(async () => {
  queen?.close();
  await ex?.server.stop();
  rmSync(root, { recursive: true, force: true });
});

const ALERTS = {
  'drone-1/log': '{"agent":"drone-1","event":"alert"}\n',
  'drone-2/log': '{"agent":"drone-2","event":"alert"}\n',
  'glasses-1/log': '{"agent":"glasses-1","event":"alert"}\n',
};

beforeEach(async () => {
  rmSync(alertsDir, { recursive: true, force: true });
  mkdirSync(alertsDir, { recursive: true });
  await queen.seed(ALERTS); // over Secure9P, as the queen
});

const as = (id: CertPair, port = ex.port): AlertsMountConfig => ({
  host: ex.host,
  port,
  caCert: ex.caCert,
  cert: id.cert,
  key: id.key,
  timeoutMs: 2000,
});

/** an in-memory object store; `after` runs after each stored put */
function memoryStore(
  after?: (key: string, n: number) => void,
): ObjectStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  let n = 0;
  return {
    describe: 'memory',
    objects,
    async put(key, body) {
      objects.set(key, body.toString());
      after?.(key, ++n);
    },
  };
}

/** What the backing folder holds (the test's view, not the uploader's). */
function onDisk(): string[] {
  return readdirSync(alertsDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(alertsDir.length + 1))
    .sort();
}

/** Every alert is either still in /srv/alerts or stored with its exact bytes; never neither. */
function expectConsistent(store: { objects: Map<string, string> }): void {
  const left = new Set(onDisk());
  for (const [path, body] of Object.entries(ALERTS)) {
    const stored = [...store.objects].filter(([k, v]) => k.startsWith(`alerts/${path}@`) && v === body);
    expect({ path, keptOrStored: left.has(path) || stored.length === 1 }).toEqual({
      path,
      keptOrStored: true,
    });
  }
}

function expectExactlyOnce(store: { objects: Map<string, string> }): void {
  expect([...store.objects.values()].sort()).toEqual(Object.values(ALERTS).sort());
  expect(onDisk()).toEqual([]);
}

/** A TCP relay in front of the server that can cut every connection with a reset. */
async function relay(port: number): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const socks = new Set<net.Socket>();
  const server = net.createServer((c) => {
    const up = net.connect(port, ex.host);
    for (const s of [c, up]) {
      socks.add(s);
      s.on('error', () => undefined);
      s.on('close', () => socks.delete(s));
    }
    c.pipe(up).pipe(c);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    cut: () => {
      for (const s of socks) s.resetAndDestroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('reference uploader over Secure9P', () => {
  it('mounts /srv/alerts as trace_uploader, uploads every alert and removes exactly those', async () => {
    const store = memoryStore();
    const r = await invokeRound(() => mountAlerts(as(ex.uploader)), store, { deleteBeforeUpload: false });
    expect(r.aborted).toBeUndefined();
    expect(r.outcomes.map((o) => [o.path, o.status])).toEqual([
      ['drone-1/log', 'uploaded'],
      ['drone-2/log', 'uploaded'],
      ['glasses-1/log', 'uploaded'],
    ]);
    expectExactlyOnce(store);
    expect(r.namespace).toMatch(/^secure9p tls:\/\/127\.0\.0\.1:\d+ \/srv\/alerts$/);
    // the transcript shows the 9P work, never the alert bytes
    const t = r.session.transcript;
    expect(t).not.toContain('"event":"alert"');
    // the uploader's store steps sit between the frames: each Tremove comes after its upload
    const stored = t.indexOf('! uploader: upload alerts/drone-1/log@');
    expect(stored).toBeGreaterThan(0);
    expect(t.indexOf('Tremove')).toBeGreaterThan(stored);
    const again = await invokeRound(() => mountAlerts(as(ex.uploader)), store, { deleteBeforeUpload: false });
    expect(again.outcomes).toEqual([]);
  });

  it('a connection reset mid-round keeps every alert kept or stored, says where it stopped, and the next round finishes', async () => {
    const r1 = await relay(ex.port);
    const m = await mountAlerts(as(ex.uploader, r1.port));
    // the reset lands after the second upload, before its re-read and removal
    const store = memoryStore((_k, n) => n === 2 && r1.cut());
    const report = await uploadRound(m.ns, store);
    await m.close();
    await r1.close();
    expect(report.outcomes.map((o) => [o.path, o.status])).toEqual([
      ['drone-1/log', 'uploaded'],
      ['drone-2/log', 'kept-remove-failed'],
      ['glasses-1/log', 'skipped'],
    ]);
    expect(report.aborted).toMatch(
      /connection to secure9p tls:\/\/127\.0\.0\.1:\d+ \/srv\/alerts was lost at drone-2\/log \(file 2 of 3; 1 uploaded and removed before it\): NinepConnectionError: .*(reset|closed)/,
    );
    expect(onDisk()).toEqual(['drone-2/log', 'glasses-1/log']);
    expectConsistent(store);
    const next = await invokeRound(() => mountAlerts(as(ex.uploader)), store, { deleteBeforeUpload: false });
    expect(next.outcomes.map((o) => o.status)).toEqual(['uploaded', 'uploaded']);
    expectExactlyOnce(store); // drone-2's second upload wrote the same content key
  });

  it('Rerror on remove keeps the files and names the refusal with its trace id; nothing is stored twice', async () => {
    const store = memoryStore();
    const r = await invokeRound(() => mountAlerts(as(reader)), store, { deleteBeforeUpload: false });
    expect(r.aborted).toBeUndefined();
    expect(r.outcomes.map((o) => o.status)).toEqual([
      'kept-remove-failed',
      'kept-remove-failed',
      'kept-remove-failed',
    ]);
    expect(r.outcomes[0]!.error).toMatch(
      /^remove: NinepRemoteError: Tremove failed: permission denied: remove \/srv\/alerts\/drone-1\/log: .*alerts_reader.*\[trace_id=[0-9a-f]{8}\]/,
    );
    expect(onDisk()).toEqual(Object.keys(ALERTS).sort());
    const keys = [...store.objects.keys()];
    const next = await invokeRound(() => mountAlerts(as(ex.uploader)), store, { deleteBeforeUpload: false });
    expect(next.outcomes.map((o) => o.status)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    expect([...store.objects.keys()]).toEqual(keys);
    expectExactlyOnce(store);
  });

  it('a Tremove whose answer never comes is reported unconfirmed and the round stops there', async () => {
    // in memory, so the fault lands exactly between the server's removal and its Rremove
    const [client, server] = memoryTransportPair();
    ex.server.serveTransport(server, 'secure9p', 'trace_uploader');
    let removeSent = false;
    const faulty: Transport = {
      ...client,
      write(frame) {
        if (frame[4] === 122) removeSent = true; // Tremove
        client.write(frame);
      },
      onData(cb) {
        client.onData((b) => (removeSent ? client.close() : cb(b)));
      },
    };
    const c = new NinepClient(faulty, { timeoutMs: 2000 });
    await c.version();
    const fs = await NinepFs.attach(c, { uname: 'trace_uploader' });
    const store = memoryStore();
    const r = await uploadRound(
      remoteAlertNamespace(fs, '/srv/alerts', { describe: 'memory', connectionLost: () => c.closed }),
      store,
    );
    c.close();
    expect(r.outcomes.map((o) => [o.path, o.status])).toEqual([
      ['drone-1/log', 'remove-unconfirmed'],
      ['drone-2/log', 'skipped'],
      ['glasses-1/log', 'skipped'],
    ]);
    expect(r.aborted).toMatch(/was lost at drone-1\/log \(file 1 of 3; 0 uploaded and removed before it\)/);
    expect(existsSync(join(alertsDir, 'drone-1', 'log'))).toBe(false); // the server did remove it
    expectConsistent(store);
  });

  it('the export shows only the regular files and directories of its folder, never a symlink out of it', async () => {
    writeFileSync(join(root, 'outside'), 'secret\n');
    symlinkSync(join(root, 'outside'), join(alertsDir, 'drone-1', 'escape'));
    symlinkSync(root, join(alertsDir, 'up'));
    expect(await queen.list()).toEqual(Object.keys(ALERTS).sort());
    await expect(queen.read('drone-1/escape')).rejects.toThrow(/'escape' not found/);
  });

  it('a refused mount says where and why, and touches nothing', async () => {
    const store = memoryStore();
    const r = await invokeRound(() => mountAlerts(as(foreign)), store, { deleteBeforeUpload: false });
    expect(r.outcomes).toEqual([]);
    expect(r.aborted).toMatch(
      /the uploader could not mount the namespace at secure9p tls:\/\/127\.0\.0\.1:\d+: .*; nothing was uploaded or removed/,
    );
    const missing = await invokeRound(
      () => mountAlerts({ ...as(ex.uploader), cert: join(root, 'nope.pem') }),
      store,
      { deleteBeforeUpload: false },
    );
    expect(missing.aborted).toMatch(/client certificate .*nope\.pem cannot be read \(ENOENT\); fix:/);
    expect(store.objects.size).toBe(0);
    expect(onDisk()).toEqual(Object.keys(ALERTS).sort());
  });
});
