// The project's own tests (test/): unit tests of the harness, end-to-end runs of the
// CLI against the reference target, and the defect matrix. Suites under suites/ are
// not run from here: they run through `cohesix-qa run`.
import { defineConfig } from 'vitest/config';
import CostSequencer from './test/cost-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // synthetic suites the harness runs through its CLI, not tests of their own
    exclude: ['test/fixtures/**', 'node_modules/**'],
    pool: 'forks',
    // vitest's default on 2 cores is one worker (cores - 1); most files wait on child
    // processes (QEMU, Chromium, CLI runs), so a second worker runs the short files
    // beside the long ones
    maxWorkers: 2,
    // longest first, by measured cost (test/file-costs.json): a fresh clone has no cache
    sequence: { sequencer: CostSequencer },
    testTimeout: 120_000,
    // the defect matrix runs whole CLI runs (QEMU, Chromium) side by side; with 3 at once on
    // 2 cores the suites' live-status bounds were missed now and then, so 2
    maxConcurrency: 2,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
