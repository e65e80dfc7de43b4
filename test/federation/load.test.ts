import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFederation, diffResolved } from '../../harness/federation/check.ts';
import { loadAdminRules } from '../../harness/federation/load.ts';
import { folderSource } from '../../harness/federation/source.ts';
import { validateAgainst } from '../../harness/federation/schemas.ts';

const root = mkdtempSync(join(tmpdir(), 'fed-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function peer(id: string, role: string | undefined, override: unknown) {
  mkdirSync(join(root, id, 'queen_id'), { recursive: true });
  if (role !== undefined) writeFileSync(join(root, id, 'queen_id', 'role'), role);
  if (override !== undefined)
    writeFileSync(
      join(root, id, 'policy_override.json'),
      typeof override === 'string' ? override : JSON.stringify(override),
    );
}

peer('primary', 'QueenPrimary\n', {
  version: 1,
  queen_id: 'primary',
  timestamp: 10,
  policies: [{ agent: 'drone_worker', allow: ['read:/sim'] }],
});
peer('eu', 'RegionalQueen inherit:primary\n', {
  version: 1,
  queen_id: 'eu',
  timestamp: 20,
  policies: [{ agent: 'drone_worker', allow: ['write:/srv/telemetry'] }],
});
peer('garbled', 'RegionalQueen', '{not json');
peer('liar', 'RegionalQueen', { version: 1, queen_id: 'primary', timestamp: 1, policies: [] });
peer('badperm', 'RegionalQueen', {
  version: 1,
  queen_id: 'badperm',
  timestamp: 1,
  policies: [{ agent: 'drone_worker', allow: ['exec:/bin'] }],
});

describe('folder federation source', () => {
  it('reads overrides and roles and resolves them', async () => {
    const r = await checkFederation(folderSource(root));
    expect(r.queens.eu!.chain).toEqual(['primary', 'eu']);
    expect(r.queens.eu!.agents.drone_worker!.allow).toEqual(['write:/srv/telemetry']);
  });

  it('reports a file that is not JSON, a queen_id that is not its publisher, and a schema failure, naming the file', async () => {
    const r = await checkFederation(folderSource(root));
    const invalid = r.issues.filter((i) => i.kind === 'invalid_override');
    expect(invalid.map((i) => i.queen_id)).toEqual(['badperm', 'garbled', 'liar']);
    const reasons = invalid.map((i) => (i.kind === 'invalid_override' ? i.reason : ''));
    expect(reasons[0]).toMatch(
      /\/srv\/badperm\/policy_override\.json: policies\[0\]\.allow\[0\]: expected a string matching .*found "exec:\/bin"/,
    );
    expect(reasons[1]).toMatch(/not JSON/);
    expect(reasons[2]).toMatch(/queen_id is "primary" but the file is published by peer "liar"/);
  });

  it('names the folder when it cannot be listed', async () => {
    await expect(checkFederation(folderSource(join(root, 'nope')))).rejects.toThrow(
      /cannot list federation folder .*nope/,
    );
  });

  it('rejects malformed administrator rules with the file and the schema named', async () => {
    const f = join(root, 'admin.json');
    writeFileSync(f, JSON.stringify({ version: 1, rules: [{ agent: 'Drone Worker', allow: [] }] }));
    await expect(loadAdminRules(f)).rejects.toThrow(
      /admin\.json: rules\[0\]\.agent: expected a string matching.*federation-admin-rules/,
    );
  });

  it('a reported resolution that breaks its schema is named field by field', () => {
    const bad = {
      queen_id: 'eu',
      chain: [],
      agents: { drone_worker: { allow: ['exec:/x'], source: { kind: 'admin', extra: 1 } } },
    };
    const msg = validateAgainst('federation-resolution', bad) ?? '';
    expect(msg).toMatch(/chain: expected/);
    expect(msg).toMatch(/agents\.drone_worker\.allow\[0\]: expected a string matching/);
  });

  it('diffResolved lists each disagreement and nothing when equal', async () => {
    const r = await checkFederation(folderSource(root));
    const eu = r.queens.eu!;
    expect(diffResolved(eu, structuredClone(eu))).toEqual([]);
    const wrong = structuredClone(eu);
    wrong.agents.drone_worker!.allow = ['read:/sim'];
    expect(diffResolved(eu, wrong)).toHaveLength(1);
    expect(diffResolved(eu, undefined)).toEqual(['queen eu reports no policy; expected one']);
  });
});
