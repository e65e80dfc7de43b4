// The reference target's governance resource: the sample Cohesix tree, copied into
// the run's state dir (so a defect can break the copy, never the original), judged
// as of a fixed date so the sample's dates never go stale.
import { cpSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceService } from '../../harness/target/types.ts';
import { governanceMutations } from './mutations.ts';

export const SAMPLE_TREE = join(dirname(fileURLToPath(import.meta.url)), 'sample-tree');
/** the day the sample tree is judged at: after its last change, within its review quarter */
export const SAMPLE_AS_OF = '2029-03-31';

export const governanceService: ReferenceService = {
  area: 'governance',
  async start(ctx) {
    const root = join(ctx.stateDir, 'tree');
    cpSync(SAMPLE_TREE, root, { recursive: true });
    // each defect changes its own file, so several apply to one copy
    for (const defect of ctx.defects) {
      const mutate = governanceMutations[defect];
      if (!mutate) throw new Error(`governance defect ${defect} has no mutation`);
      mutate(root);
    }
    return { resources: { root, asOf: SAMPLE_AS_OF }, stop: async () => {} };
  },
};
