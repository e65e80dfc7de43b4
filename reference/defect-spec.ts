// The shape of one defect mode of the reference target. Each area declares its
// defects once (reference/<area>/defects.ts) and reference/defects.ts lists them all;
// the project's defect-matrix test runs every one and checks that exactly the named
// case fails while the other cases of its suite pass.
//
// One run may carry several defects (`--defect a,b,c`): each is applied to its own
// area's service, and several of one area share a run unless one of them breaks or
// replaces the whole service (`exclusive`), they turn the same knob (`knob`), or two
// of them are caught by the same case (a run could then not tell which one was caught).
export interface DefectSpec {
  /** the name given to --defect, e.g. "governance-missing-header" */
  name: string;
  /** the suite area whose case must catch it, e.g. "governance" */
  suite: string;
  /** the full title of the case that must fail (describe > test joined by " > ") */
  caseTitle: string;
  /** the upstream gap it reproduces, in one sentence */
  summary: string;
  /** the defect replaces or breaks its area's whole service (a variant image, a worker build): no other defect of its area may share its run */
  exclusive?: boolean;
  /** defects that set the same one thing of their service (e.g. the federation policy's resolution order) never share a run */
  knob?: string;
}

/** `--defect a,b,c` → ['a', 'b', 'c'] (blanks and repeats dropped) */
export function parseDefectList(text: string | undefined): string[] {
  if (!text) return [];
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

/** Why these defects cannot share one run, in a sentence; undefined when they can. */
export function defectConflict(specs: readonly DefectSpec[]): string | undefined {
  for (const [i, a] of specs.entries()) {
    for (const b of specs.slice(i + 1)) {
      if (a.caseTitle === b.caseTitle)
        return `${a.name} and ${b.name} are caught by the same case ("${a.caseTitle}"), so one run cannot tell them apart`;
      if (a.suite !== b.suite) continue;
      const alone = a.exclusive ? a : b.exclusive ? b : undefined;
      if (alone)
        return `${alone.name} replaces the whole ${alone.suite} service, so no other ${alone.suite} defect (here ${alone === a ? b.name : a.name}) can share its run`;
      if (a.knob !== undefined && a.knob === b.knob)
        return `${a.name} and ${b.name} both set the ${a.suite} service's ${a.knob}`;
    }
  }
  return undefined;
}

/**
 * The one defect of `defects` among `names` (all of them when omitted): for a part of a
 * service that takes a single defect, whose defects are `exclusive` or share a `knob`
 * (so the target never hands it two).
 */
export function soleDefect(defects: ReadonlySet<string>, names?: readonly string[]): string | undefined {
  const hits = [...defects].filter((d) => !names || names.includes(d));
  if (hits.length > 1) throw new Error(`only one of these defects at a time, got ${hits.join(', ')}`);
  return hits[0];
}
