// `.coh` scripts as cases, one a script, titled by its file name: the
// scripts a release engineer already runs with upstream's `cohsh --script`
// (`--coh`, config `coh.scripts`, a bundle's `scripts/cohsh/`, or the
// reference target's own pack). A failure names the script's file and line,
// the statement and the last acknowledgement; the transcript is evidence.
import { cohPlan, describe, InfraError, test } from '../../harness/fixtures.ts';

const plan = cohPlan();

describe('coh: scripts', () => {
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
