// The RemoteTree adapters over an in-memory tree that answers like a 9P server (a
// missing file is an error whose message says "not found").
import { describe, expect, it } from 'vitest';
import { checkFederation } from '../../harness/federation/check.ts';
import { treeFederationSource, type RemoteTree } from '../../harness/federation/remote-tree.ts';
import { remoteAlertNamespace } from '../../reference/federation/uploader/remote-namespace.ts';

function memTree(files: Record<string, string>): RemoteTree & { files: Map<string, string> } {
  const m = new Map(Object.entries(files));
  const notFound = (p: string) => new Error(`Twalk: '${p.split('/').pop()}' not found walking ${p}`);
  return {
    describe: 'mem',
    files: m,
    async readFile(p) {
      const v = m.get(p);
      if (v === undefined) throw notFound(p);
      return Buffer.from(v);
    },
    async list(p) {
      const prefix = `${p}/`;
      const names = new Map<string, boolean>();
      for (const k of m.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length).split('/');
        names.set(rest[0]!, rest.length > 1 || names.get(rest[0]!) === true);
      }
      if (names.size === 0) throw notFound(p);
      return [...names].map(([name, isDir]) => ({ name, isDir }));
    },
    async remove(p) {
      if (!m.delete(p)) throw notFound(p);
    },
  };
}

const ov = (id: string, ts: number) =>
  JSON.stringify({
    version: 1,
    queen_id: id,
    timestamp: ts,
    policies: [{ agent: 'drone_worker', allow: [`read:/${id}`] }],
  });

describe('RemoteTree adapters', () => {
  it('reads a federation from peers mounted under /srv, skipping non-peer folders', async () => {
    const tree = memTree({
      '/srv/root-q/policy_override.json': ov('root-q', 1),
      '/srv/root-q/queen_id/role': 'QueenPrimary',
      '/srv/child-q/queen_id/role': 'RegionalQueen inherit:root-q',
      '/srv/alerts/drone-1/log': 'x',
      '/srv/cuda': 'tcp:127.0.0.1:1',
    });
    const r = await checkFederation(treeFederationSource(tree));
    expect(Object.keys(r.queens).sort()).toEqual(['child-q', 'root-q']);
    expect(r.queens['child-q']!.agents.drone_worker!.allow).toEqual(['read:/root-q']);
  });

  it('lists, reads and removes alerts under /srv/alerts', async () => {
    const tree = memTree({ '/srv/alerts/a/log': '1', '/srv/alerts/b/log': '2', '/srv/other': 'keep' });
    const ns = remoteAlertNamespace(tree);
    expect(await ns.list()).toEqual(['a/log', 'b/log']);
    expect((await ns.read('b/log')).toString()).toBe('2');
    await ns.remove('a/log');
    expect([...tree.files.keys()].sort()).toEqual(['/srv/alerts/b/log', '/srv/other']);
    await expect(ns.remove('../other')).rejects.toThrow(/not a plain relative path/);
  });

  it('passes on errors that are not "not found"', async () => {
    const tree = memTree({ '/srv/q/queen_id/role': 'QueenPrimary' });
    tree.readFile = async () => {
      throw new Error('Rerror: permission denied');
    };
    await expect(checkFederation(treeFederationSource(tree))).rejects.toThrow(/permission denied/);
  });
});
