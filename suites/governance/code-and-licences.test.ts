// Contract, Governance: licences allowed are Apache-2.0, MIT, BSD; no placeholder code.
import { test, expectNoFindings } from '../../harness/fixtures.ts';

test('dependency licences are Apache-2.0, MIT or BSD', ({ governance, problems }) => {
  const { declared, findings } = governance.licences();
  // a tree that declares nothing must not pass by default
  problems.check(
    declared.length > 0,
    'the tree declares no dependency licences (no SBOM or licence declarations found): nothing to judge',
  );
  problems.stopIfAny();
  expectNoFindings(findings, 'licence problem');
});

test('no placeholder code', ({ governance }) => {
  expectNoFindings(governance.placeholderFindings(), 'placeholder');
});
