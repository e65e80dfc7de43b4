import { describe, expect, it } from 'vitest';
import { ClusterState, StateError } from '../../reference/orchestrator/cluster-state.ts';

function cluster(timeoutSeconds = 5) {
  let now = 1_700_000_000_000;
  const state = new ClusterState({ queenId: 'queen-test', timeoutSeconds, now: () => now });
  return { state, advance: (ms: number) => (now += ms) };
}

const gpu = (load: number, capacity = 10) => ({
  perf_watt: 10.5,
  mem_total: 24,
  mem_free: 12,
  last_temp: 60,
  gpu_capacity: capacity,
  current_load: load,
  latency_score: 3,
});

describe('cluster state', () => {
  it('joins a worker and reports it with the queen id and timeout', () => {
    const { state } = cluster();
    const r = state.join({
      worker_id: 'w1',
      ip: '10.0.0.1',
      role: 'DroneWorker',
      capabilities: ['cuda'],
      trust: 'green',
    });
    expect(r.queen_id).toBe('queen-test');
    const snap = state.snapshot();
    expect(snap.timeout_seconds).toBe(5);
    expect(snap.workers.map((w) => [w.worker_id, w.role, w.trust, w.status])).toEqual([
      ['w1', 'DroneWorker', 'green', 'online'],
    ]);
  });

  it('rejects unknown roles, bad ids and bad trust levels', () => {
    const { state } = cluster();
    expect(() =>
      state.join({ worker_id: 'w1', ip: '', role: 'RogueRole', capabilities: [], trust: 'green' }),
    ).toThrow(/role must be one of/);
    expect(() =>
      state.join({ worker_id: '', ip: '', role: 'DroneWorker', capabilities: [], trust: 'green' }),
    ).toThrow(/worker_id/);
    expect(() =>
      state.join({ worker_id: 'w1', ip: '', role: 'DroneWorker', capabilities: [], trust: 'purple' }),
    ).toThrow(/trust level/);
  });

  it('drops a worker silent for longer than the timeout and keeps one that heartbeats', () => {
    const { state, advance } = cluster(2);
    state.join({ worker_id: 'quiet', ip: '', role: 'DroneWorker', capabilities: [], trust: 'green' });
    state.join({ worker_id: 'chatty', ip: '', role: 'SensorRelay', capabilities: [], trust: 'green' });
    advance(1500);
    state.heartbeat({ worker_id: 'chatty', timestamp: 0, status: 'busy', gpu: gpu(1) });
    advance(1000);
    expect(state.snapshot().workers.map((w) => w.worker_id)).toEqual(['chatty']);
    expect(state.snapshot().workers[0]!.gpu?.current_load).toBe(1);
    expect(() => state.heartbeat({ worker_id: 'quiet', timestamp: 0, status: '', gpu: null })).toThrow(
      StateError,
    );
  });

  it('assigns roles and trust levels to joined workers only', () => {
    const { state } = cluster();
    state.join({ worker_id: 'w1', ip: '', role: 'DroneWorker', capabilities: [], trust: 'green' });
    expect(state.assignRole({ worker_id: 'w1', role: 'SensorRelay' })).toBe(true);
    expect(state.updateTrust({ worker_id: 'w1', level: 'yellow' })).toBe('yellow');
    expect(state.snapshot().workers[0]).toMatchObject({ role: 'SensorRelay', trust: 'yellow' });
    expect(() => state.assignRole({ worker_id: 'nobody', role: 'SensorRelay' })).toThrow(/not joined/);
    expect(() => state.updateTrust({ worker_id: 'w1', level: 'blue' })).toThrow(/trust level/);
  });

  it('schedules GPU work only onto GPU workers, least loaded first, never onto red trust', () => {
    const { state } = cluster();
    for (const id of ['cpu', 'gpu-busy', 'gpu-idle', 'gpu-red'])
      state.join({ worker_id: id, ip: '', role: 'DroneWorker', capabilities: [], trust: 'green' });
    state.heartbeat({ worker_id: 'gpu-busy', timestamp: 0, status: '', gpu: gpu(9) });
    state.heartbeat({ worker_id: 'gpu-idle', timestamp: 0, status: '', gpu: gpu(2) });
    state.heartbeat({ worker_id: 'gpu-red', timestamp: 0, status: '', gpu: gpu(0) });
    state.updateTrust({ worker_id: 'gpu-red', level: 'red' });
    expect(state.schedule({ agent_id: 'job', require_gpu: true })).toMatchObject({
      assigned: true,
      worker_id: 'gpu-idle',
    });
    const cpuPicks = new Set(
      Array.from({ length: 6 }, () => state.schedule({ agent_id: 'job', require_gpu: false }).worker_id),
    );
    expect(cpuPicks).toEqual(new Set(['cpu', 'gpu-busy', 'gpu-idle']));
  });

  it('answers unassigned when no GPU worker exists', () => {
    const { state } = cluster();
    state.join({ worker_id: 'cpu', ip: '', role: 'DroneWorker', capabilities: [], trust: 'green' });
    expect(state.schedule({ agent_id: 'job', require_gpu: true })).toEqual({
      assigned: false,
      worker_id: '',
      scheduling_policy: 'gpu-least-loaded',
    });
  });
});
