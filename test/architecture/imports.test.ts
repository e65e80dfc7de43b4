// The checker apart from what it checks (docs/architecture.md, "Layers"): the
// harness, suites and reporters reach the reference target only through the target
// door (harness/target/reference*.ts); the reference reaches the harness only
// through contract/ and the service interface; contract/ imports neither; no import
// cycles. Crossings and cycles not yet removed are listed here by name, so the list
// can only shrink: a new one fails, and a removed one must be struck off.
import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-graph.ts';

const graph = importGraph(['harness', 'suites', 'reporters', 'reference', 'contract', 'bin']);

function crossings(from: RegExp, to: RegExp): string[] {
  return [...graph].flatMap(([f, deps]) =>
    from.test(f) ? deps.filter((d) => to.test(d)).map((d) => `${f} -> ${d}`) : [],
  );
}

/** harness → reference still to remove */
const PENDING_HARNESS_TO_REFERENCE: string[] = [];

/** harness modules the reference still imports, besides contract/ and the service interface */
const PENDING_REFERENCE_USES = [
  'harness/boot/plan.ts',
  'harness/boot/shared-boot.ts',
  'harness/process/spawn.ts',
  'harness/release/start.ts',
];

/** import cycles still to break (#16: results are the floor) */
const PENDING_CYCLES: string[] = [];

describe('the checker apart from the reference target', () => {
  it('harness, suites and reporters reach reference/ only through harness/target/', () => {
    const found = crossings(/^(harness|suites|reporters|bin)\//, /^reference\//).filter(
      (c) => !c.startsWith('harness/target/'),
    );
    expect(found.sort(), 'imports of reference/ outside the target door').toEqual(
      [...PENDING_HARNESS_TO_REFERENCE].sort(),
    );
  });

  it('reference/ reaches the harness only through contract/ and the service interface', () => {
    const used = new Set(
      crossings(/^reference\//, /^harness\//)
        .map((c) => c.split(' -> ')[1]!)
        .filter((d) => d !== 'harness/target/types.ts'),
    );
    const unexpected = [...used].filter((d) => !PENDING_REFERENCE_USES.includes(d));
    expect(unexpected, 'new reference → harness imports (share through contract/ instead)').toEqual([]);
    const gone = PENDING_REFERENCE_USES.filter((d) => !used.has(d));
    expect(gone, 'crossings no longer there: strike them off PENDING_REFERENCE_USES').toEqual([]);
  });

  it('contract/ imports nothing of either side', () => {
    expect(crossings(/^contract\//, /^(harness|reference|suites|reporters)\//)).toEqual([]);
  });

  it('has no import cycles but the listed ones', () => {
    const found = cycles(importGraph(['harness', 'reporters', 'contract'])).map((c) => c.join(' '));
    expect(found.sort()).toEqual([...PENDING_CYCLES].sort());
  });
});
