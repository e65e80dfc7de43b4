// The shape of one defect mode of the reference target. Each area declares its
// defects once (reference/<area>/defects.ts) and reference/defects.ts lists them all;
// the project's defect-matrix test runs every one and checks that exactly the named
// case fails while the other cases of its suite pass.
export interface DefectSpec {
  /** the name given to --defect, e.g. "governance-missing-header" */
  name: string;
  /** the suite area whose case must catch it, e.g. "governance" */
  suite: string;
  /** the full title of the case that must fail (describe > test joined by " > ") */
  caseTitle: string;
  /** the upstream gap it reproduces, in one sentence */
  summary: string;
}
