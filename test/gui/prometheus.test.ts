import { describe, expect, it } from 'vitest';
import { Gauge, Registry } from 'prom-client';
import { parsePrometheusText } from '../../harness/gui/prometheus.ts';

describe('Prometheus text parser', () => {
  it('reads what prom-client writes, including escaped label values', async () => {
    const registry = new Registry();
    const g = new Gauge({
      name: 'cohesix_worker_gpu_load',
      help: 'load',
      labelNames: ['worker_id'],
      registers: [registry],
    });
    g.set({ worker_id: 'w"1\\x' }, 3.5);
    g.set({ worker_id: 'w2' }, 0);
    const r = parsePrometheusText(await registry.metrics());
    expect(r.errors).toEqual([]);
    expect(r.types).toEqual({ cohesix_worker_gpu_load: 'gauge' });
    expect(r.samples.map((s) => [s.labels['worker_id'], s.value])).toEqual([
      ['w"1\\x', 3.5],
      ['w2', 0],
    ]);
  });

  it.each([
    ['{"workers": []}', 'JSON'],
    ['metric{worker_id="a} 1', 'unterminated label'],
    ['metric 1 2 3', 'too many fields'],
    ['metric abc', 'non-numeric value'],
    ['# TYPE metric sparkline', 'unknown type'],
    ['metric{a="1",a="2"} 1', 'duplicate label'],
  ])('rejects %s (%s)', (text) => {
    expect(parsePrometheusText(text).errors.length).toBeGreaterThan(0);
  });

  it('accepts special float values and timestamps', () => {
    const r = parsePrometheusText('a NaN\nb +Inf 1700000000000\nc -1.5e3\n');
    expect(r.errors).toEqual([]);
    expect(r.samples.map((s) => s.value)).toEqual([NaN, Infinity, -1500]);
  });
});
