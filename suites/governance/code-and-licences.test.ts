// Contract, Governance: licences allowed are Apache-2.0, MIT, BSD; no placeholder code.
import { test, expect, expectNoFindings } from '../../harness/fixtures.ts';

test('dependency licences are Apache-2.0, MIT or BSD', ({ governance }) => {
  const { declared, findings } = governance.licences();
  expectNoFindings(findings, 'licence problems');
  // a tree that declares nothing must not pass by default
  expect(declared.length, 'licence declarations found').toBeGreaterThan(0);
});

test('no placeholder code', ({ governance }) => {
  expectNoFindings(governance.placeholderFindings(), 'placeholders');
});
