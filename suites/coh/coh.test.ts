// `.coh` scripts as cases, one a script, titled by its file name: the
// scripts a release engineer already runs with upstream's `cohsh --script`
// (`--coh`, config `coh.scripts`, a bundle's `scripts/cohsh/`, or the
// reference target's own pack). A failure names the script's file and line,
// the statement and the last acknowledgement; the transcript is evidence.
// Then the on-target self-tests, as upstream's `test` runs them: the scripts
// under /proc/tests are read over the console (LS, CAT) and run through the
// same runner (quick = negative + quick; full adds full); the run is also
// written as `test --json` (coh-test-report.json in the output folder).
// One file on purpose: its cases run one after another, and the console
// serves one session at a time.
import { cohPlan, describe, InfraError, SELF_TESTS, test } from '../../harness/fixtures.ts';

const plan = cohPlan();

describe('coh', () => {
  if (plan.unavailable) {
    test('the target offers .coh scripts a console', () => {
      throw new InfraError(plan.unavailable!);
    });
  } else if (plan.files.length === 0) {
    test('no .coh scripts configured', ({ skip }) => {
      skip(`no .coh scripts: ${plan.source}; give --coh <glob> or config coh.scripts`);
    });
  }
  for (const s of plan.files) {
    test(s.title, async ({ coh }) => {
      await coh.runFile(s);
    });
  }
});

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
