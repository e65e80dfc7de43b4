// An agent's namespace is its whole world: '..' never leaves its root.
import { describe, expect, test } from '../../harness/fixtures.ts';

describe('namespace confinement', () => {
  test("'..' never leaves an agent's root", async ({ secure9p }) => {
    const fs = await secure9p.attach('drone_worker');
    const r = await fs.client.rpc<'Rwalk'>({
      type: 'Twalk',
      fid: fs.rootFid,
      newfid: fs.client.allocFid(),
      wnames: ['..', '..', '..'],
    });
    expect(
      r.qids.map((q) => q.path.toString(16)),
      "qids of '..' walked from the root",
    ).toEqual(r.qids.map(() => fs.rootQid.path.toString(16)));
    const atRoot = (await fs.list('/')).map((e) => e.name).sort();
    const above = (await fs.list('/../..')).map((e) => e.name).sort();
    expect(above, "listing of /../.. is the agent's own root").toEqual(atRoot);
  });
});
