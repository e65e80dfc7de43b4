// The federation checker and the trace uploader reading a real 9P server: Debian's
// diod exports a folder laid out as /srv (peers mounted at /srv/<peer>/, alerts at
// /srv/alerts), reached with harness/ninep's client (NinepFs is a RemoteTree).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDiod, type DiodServer } from '../../harness/ninep/diod.ts';
import { openSession } from '../../harness/ninep/target.ts';
import type { NinepFs } from '../../contract/ninep/fs.ts';
import { checkFederation } from '../../harness/federation/check.ts';
import { loadAdminRules } from '../../harness/federation/load.ts';
import { treeFederationSource } from '../../harness/federation/remote-tree.ts';
import { folderSource } from '../../harness/federation/source.ts';
import { remoteAlertNamespace } from '../../reference/federation/uploader/remote-namespace.ts';
import { uploadRound } from '../../reference/federation/uploader/uploader.ts';
import type { ObjectStore } from '../../reference/federation/uploader/object-store.ts';

const SAMPLE = fileURLToPath(new URL('../../reference/federation/sample/', import.meta.url));
const exportDir = mkdtempSync(join(tmpdir(), 'fed-9p-'));
let diod: DiodServer | undefined;
let fs: NinepFs;

beforeAll(async () => {
  cpSync(join(SAMPLE, 'federation'), join(exportDir, 'srv'), { recursive: true });
  for (const a of ['drone-1', 'glasses-1']) {
    mkdirSync(join(exportDir, 'srv', 'alerts', a), { recursive: true });
    writeFileSync(join(exportDir, 'srv', 'alerts', a, 'log'), `{"agent":"${a}"}\n`);
  }
  diod = await startDiod({ exportDir });
  fs = await openSession({
    name: 'diod',
    transport: 'tcp',
    host: diod.host,
    port: diod.port,
    dialect: '9P2000.L',
    uname: 'root',
    aname: exportDir,
    writableDir: '/',
  });
}, 30_000);
afterAll(async () => {
  await fs?.detach().catch(() => undefined);
  await diod?.stop();
  rmSync(exportDir, { recursive: true, force: true });
});

describe('federation over 9P', () => {
  it('resolves the same federation over 9P as from the folder', async () => {
    const admin = await loadAdminRules(join(SAMPLE, 'admin_rules.json'));
    const over9p = await checkFederation(treeFederationSource(fs, '/srv'), admin.rules);
    const fromFolder = await checkFederation(folderSource(join(SAMPLE, 'federation')), admin.rules);
    expect(over9p).toEqual(fromFolder);
    expect(Object.keys(over9p.queens)).toHaveLength(3);
  });

  it('uploads /srv/alerts over 9P and removes exactly the uploaded files', async () => {
    const stored = new Map<string, string>();
    const store: ObjectStore = {
      describe: 'memory',
      async put(key, body) {
        if (key.includes('glasses-1')) throw new Error('refused by the test store');
        stored.set(key, body.toString());
      },
    };
    const r = await uploadRound(remoteAlertNamespace(fs, '/srv/alerts'), store);
    expect(r.outcomes.map((o) => [o.path, o.status])).toEqual([
      ['drone-1/log', 'uploaded'],
      ['glasses-1/log', 'failed'],
    ]);
    expect([...stored.values()]).toEqual(['{"agent":"drone-1"}\n']);
    expect(existsSync(join(exportDir, 'srv', 'alerts', 'drone-1', 'log'))).toBe(false);
    expect(existsSync(join(exportDir, 'srv', 'alerts', 'glasses-1', 'log'))).toBe(true);
  });
});
