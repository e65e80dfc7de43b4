// Epic 7: "automated checks for headers and METADATA registration so governance stays consistent".
import { test, expectNoFindings } from '../../harness/fixtures.ts';

test('every source file starts with a complete header', ({ governance }) => {
  expectNoFindings(governance.headers().findings, 'header problem');
});

test('every file is registered in METADATA.md', ({ governance }) => {
  expectNoFindings(governance.registrationFindings(), 'registration problem');
});

test('versions and dates agree across headers, METADATA.md and CHANGELOG.md', ({ governance }) => {
  expectNoFindings(governance.versionFindings(), 'version mismatch');
});
