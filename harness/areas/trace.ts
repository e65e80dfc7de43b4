// The harness half of the trace area (the reference half: reference/trace/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import { registerTrace } from '../cli/commands/trace.ts';
import type { TraceWorkerFixtures, TraceTestFixtures } from '../fixtures/trace.ts';

export const traceArea = defineArea<TraceWorkerFixtures, TraceTestFixtures>({
  name: 'trace',
  configSchema: configSchemaId('trace'),
  fixtures: async () => {
    const m = await import('../fixtures/trace.ts');
    return { worker: m.traceWorkerFixtures, test: m.traceTestFixtures };
  },
  cli: [registerTrace],
});
