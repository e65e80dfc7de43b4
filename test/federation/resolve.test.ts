import { describe, expect, it } from 'vitest';
import { resolveFederation } from '../../harness/federation/resolve.ts';
import { parseRole } from '../../harness/federation/role.ts';
import type { PeerRecord } from '../../contract/federation/policy-types.ts';

const ov = (queen_id: string, timestamp: number, policies: Array<[string, string[]]>) => ({
  version: 1 as const,
  queen_id,
  timestamp,
  policies: policies.map(([agent, allow]) => ({ agent, allow })),
});

describe('parseRole', () => {
  it('reads the role names and one inherit token', () => {
    expect(parseRole('RegionalQueen inherit:queen-primary\n')).toEqual({
      ok: true,
      role: { roles: ['RegionalQueen'], parent: 'queen-primary' },
    });
    expect(parseRole('QueenPrimary')).toEqual({
      ok: true,
      role: { roles: ['QueenPrimary'], parent: undefined },
    });
  });
  it('rejects two inherit tokens and an empty parent id', () => {
    expect(parseRole('inherit:a inherit:b').ok).toBe(false);
    expect(parseRole('inherit:').ok).toBe(false);
  });
});

describe('resolveFederation', () => {
  const primary: PeerRecord = {
    queen_id: 'primary',
    role: 'QueenPrimary',
    override: ov('primary', 100, [
      ['drone_worker', ['read:/sim']],
      ['glasses_agent', ['read:/input/cam']],
    ]),
  };
  const eu: PeerRecord = {
    queen_id: 'eu',
    role: 'RegionalQueen inherit:primary',
    override: ov('eu', 200, [['drone_worker', ['write:/srv/telemetry', 'read:/sim']]]),
  };
  const euEdge: PeerRecord = {
    queen_id: 'eu-edge',
    role: 'RegionalQueen inherit:eu',
    override: ov('eu-edge', 150, [['drone_worker', ['read:/nothing']]]),
  };

  it('applies the chain parent first and lets the latest timestamp win', () => {
    const r = resolveFederation([euEdge, eu, primary]);
    expect(r.issues).toEqual([]);
    expect(r.queens['eu-edge']!.chain).toEqual(['primary', 'eu', 'eu-edge']);
    // eu (200) is newer than eu-edge (150): the newer parent rule wins
    expect(r.queens['eu-edge']!.agents.drone_worker).toEqual({
      allow: ['read:/sim', 'write:/srv/telemetry'],
      source: { kind: 'override', queen_id: 'eu', timestamp: 200 },
    });
    // inherited from the root, untouched below it
    expect(r.queens['eu-edge']!.agents.glasses_agent!.source).toEqual({
      kind: 'override',
      queen_id: 'primary',
      timestamp: 100,
    });
    // the root sees only its own override
    expect(r.queens.primary!.agents.drone_worker!.allow).toEqual(['read:/sim']);
  });

  it('breaks a timestamp tie in favour of the child', () => {
    const child: PeerRecord = {
      ...euEdge,
      override: ov('eu-edge', 200, [['drone_worker', ['read:/child']]]),
    };
    const r = resolveFederation([primary, eu, child]);
    expect(r.queens['eu-edge']!.agents.drone_worker!.source).toEqual({
      kind: 'override',
      queen_id: 'eu-edge',
      timestamp: 200,
    });
  });

  it('lets an explicit administrator rule beat a newer override, a named rule beat a global one', () => {
    const r = resolveFederation(
      [primary, eu, euEdge],
      [
        { agent: 'drone_worker', allow: ['read:/admin'] },
        { agent: 'drone_worker', allow: ['read:/eu-admin'], queens: ['eu'] },
      ],
    );
    expect(r.queens['eu-edge']!.agents.drone_worker).toEqual({
      allow: ['read:/admin'],
      source: { kind: 'admin' },
    });
    expect(r.queens.eu!.agents.drone_worker!.allow).toEqual(['read:/eu-admin']);
  });

  it('reports conflicting administrator rules and leaves the queen unresolved', () => {
    const r = resolveFederation(
      [primary],
      [
        { agent: 'drone_worker', allow: ['read:/a'] },
        { agent: 'drone_worker', allow: ['read:/b'] },
      ],
    );
    expect(r.queens.primary).toBeUndefined();
    expect(r.issues).toContainEqual({ kind: 'admin_conflict', queen_id: 'primary', agent: 'drone_worker' });
  });

  it('reports an inheritance cycle once and resolves none of its queens or their descendants', () => {
    const a: PeerRecord = { queen_id: 'a', role: 'inherit:c' };
    const b: PeerRecord = { queen_id: 'b', role: 'inherit:a' };
    const c: PeerRecord = { queen_id: 'c', role: 'inherit:b' };
    const d: PeerRecord = { queen_id: 'd', role: 'inherit:a' };
    const r = resolveFederation([d, c, b, a, primary]);
    expect(r.issues.filter((i) => i.kind === 'inheritance_cycle')).toEqual([
      { kind: 'inheritance_cycle', cycle: ['a', 'c', 'b'] },
    ]);
    expect(Object.keys(r.queens)).toEqual(['primary']);
    expect(r.issues.filter((i) => i.kind === 'unresolved').map((i) => i.queen_id)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('reports a self-inheritance as a cycle of one', () => {
    const r = resolveFederation([{ queen_id: 'solo', role: 'inherit:solo' }]);
    expect(r.issues).toContainEqual({ kind: 'inheritance_cycle', cycle: ['solo'] });
  });

  it('reports a missing parent, duplicate queens, duplicate agents and invalid overrides', () => {
    const r = resolveFederation([
      { queen_id: 'orphan', role: 'inherit:ghost' },
      { queen_id: 'twin' },
      { queen_id: 'twin' },
      {
        queen_id: 'dup',
        override: ov('dup', 1, [
          ['drone_worker', ['read:/a']],
          ['drone_worker', ['read:/b']],
        ]),
      },
      { queen_id: 'broken', overrideError: 'not JSON' },
      { queen_id: 'below-broken', role: 'inherit:broken' },
    ]);
    expect(r.issues).toContainEqual({ kind: 'missing_parent', queen_id: 'orphan', parent: 'ghost' });
    expect(r.issues).toContainEqual({ kind: 'duplicate_queen', queen_id: 'twin' });
    expect(r.issues).toContainEqual({ kind: 'duplicate_agent', queen_id: 'dup', agent: 'drone_worker' });
    expect(r.issues).toContainEqual({ kind: 'invalid_override', queen_id: 'broken', reason: 'not JSON' });
    expect(Object.keys(r.queens)).toEqual(['dup']);
    expect(r.queens.dup!.agents).toEqual({});
  });
});
