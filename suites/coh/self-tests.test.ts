// On-target self-tests, as upstream's `test` runs them: the scripts under
// /proc/tests are read over the console (LS, CAT) and run through the same
// runner, each a case (quick = negative + quick; full adds full). The run is
// also written as `test --json` (coh-test-report.json in the output folder).
import { cohPlan, describe, InfraError, SELF_TESTS, test } from '../../harness/fixtures.ts';

const plan = cohPlan();

describe('coh: on-target self-tests', () => {
  if (plan.unavailable) {
    test('the target offers /proc/tests', () => {
      throw new InfraError(plan.unavailable!);
    });
  } else if (plan.selfTests === 'off') {
    test('self-tests switched off', ({ skip }) => {
      skip('config coh.selfTests is "off"');
    });
  } else {
    const mode = plan.selfTests;
    for (const name of SELF_TESTS[mode]) {
      test(name, async ({ coh }) => {
        await coh.runSelfTest(name, mode);
      });
    }
  }
});
