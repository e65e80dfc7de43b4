// Governance defect modes: each breaks the sample tree in one way that exactly
// one governance case must catch.
import type { DefectSpec } from '../defect-spec.ts';

export const governanceDefects: DefectSpec[] = [
  {
    name: 'governance-missing-header',
    suite: 'governance',
    caseTitle: 'every source file starts with a complete header',
    summary: 'src/trace/recorder.rs loses its CLASSIFICATION/Filename/Author/Date header',
  },
  {
    name: 'governance-unregistered-file',
    suite: 'governance',
    caseTitle: 'every file is registered in METADATA.md',
    summary: 'a new source file with a valid header is never added to METADATA.md',
  },
  {
    name: 'governance-version-mismatch',
    suite: 'governance',
    caseTitle: 'versions and dates agree across headers, METADATA.md and CHANGELOG.md',
    summary: "policy.rs's header is bumped to v1.3 while METADATA.md still says v1.2",
  },
  {
    name: 'governance-gpl-dependency',
    suite: 'governance',
    caseTitle: 'dependency licences are Apache-2.0, MIT or BSD',
    summary: 'a GPL-3.0-only component enters the SBOM',
  },
  {
    name: 'governance-placeholder',
    suite: 'governance',
    caseTitle: 'no placeholder code',
    summary: 'a todo!() stub lands in src/main.rs',
  },
  {
    name: 'governance-stale-threat-model',
    suite: 'governance',
    caseTitle: 'the threat model was reviewed within the last quarter',
    summary: 'the latest threat-model review is from the previous year',
  },
  {
    name: 'governance-sla-breach',
    suite: 'governance',
    caseTitle: 'every security advisory met its disclosure SLA',
    summary: 'a P2 advisory was resolved after 17 business days (SLA 14)',
  },
];
