import { describe, expect, it } from 'vitest';
import { authorize, parseSpiffeIdentity, uriSans } from '../../reference/orchestrator/identity.ts';

describe('SPIFFE identity', () => {
  it('reads URI SANs from Node subjectaltname strings', () => {
    expect(
      uriSans('DNS:localhost, URI:spiffe://cohesix/queen/QueenPrimary/q1, IP Address:127.0.0.1'),
    ).toEqual(['spiffe://cohesix/queen/QueenPrimary/q1']);
    expect(uriSans(undefined)).toEqual([]);
  });

  it.each([
    ['spiffe://cohesix/queen/QueenPrimary/q1', true],
    ['spiffe://cohesix/worker/DroneWorker/w1', true],
    ['spiffe://cohesix/worker/QueenPrimary/w1', false],
    ['spiffe://cohesix/queen/DroneWorker/q1', false],
    ['spiffe://cohesix/worker/RogueRole/w1', false],
    ['spiffe://elsewhere/worker/DroneWorker/w1', false],
    ['spiffe://cohesix/DroneWorker', false],
  ])('%s accepted: %s', (uri, ok) => {
    expect(parseSpiffeIdentity([uri], 'cohesix').ok).toBe(ok);
  });

  it('treats a certificate without a SPIFFE URI as unauthenticated', () => {
    const r = parseSpiffeIdentity([], 'cohesix');
    expect(r).toMatchObject({ ok: false, unauthenticated: true });
  });

  it('lets a worker join and heartbeat only as itself', () => {
    const r = parseSpiffeIdentity(['spiffe://cohesix/worker/DroneWorker/w1'], 'cohesix');
    if (!r.ok) throw new Error(r.reason);
    expect(authorize(r.identity, 'Join', { worker_id: 'w1', role: 'DroneWorker' })).toBeUndefined();
    expect(authorize(r.identity, 'Join', { worker_id: 'w2', role: 'DroneWorker' })).toMatch(
      /may not join as w2/,
    );
    expect(authorize(r.identity, 'Join', { worker_id: 'w1', role: 'SensorRelay' })).toMatch(
      /may not join as SensorRelay/,
    );
    expect(authorize(r.identity, 'Heartbeat', { worker_id: 'w2' })).toMatch(/may not heartbeat/);
    expect(authorize(r.identity, 'GetClusterState', {})).toMatch(/needs a queen/);
    expect(authorize(r.identity, 'AssignRole', { worker_id: 'w1', role: 'x' })).toMatch(/needs a queen/);
  });
});
