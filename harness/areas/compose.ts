// Builds the fixtures door's one `test.extend` object from the area list, and the
// types of the fixtures it adds, so an area is registered by its line in
// harness/areas/index.ts alone.
import type { AreaFixtures, HarnessArea } from './define.ts';

/** any area, whatever fixtures it adds (the list's element type) */
interface SomeArea {
  name: string;
  fixtures: () => Promise<{ worker: object; test: object }>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

type WorkerOf<A> = A extends HarnessArea<infer W, infer _T> ? W : never;
type TestOf<A> = A extends HarnessArea<infer _W, infer T> ? T : never;
type DefsOf<A> =
  A extends HarnessArea<infer W, infer T> ? AreaFixtures<W, T>['worker'] & AreaFixtures<W, T>['test'] : never;

/** the worker-scoped fixtures the listed areas add, as one type */
export type WorkerFixturesOf<L extends readonly SomeArea[]> = UnionToIntersection<WorkerOf<L[number]>>;
/** the test-scoped fixtures the listed areas add, as one type */
export type TestFixturesOf<L extends readonly SomeArea[]> = UnionToIntersection<TestOf<L[number]>>;
/** the definitions of every fixture the listed areas add, as one object type */
export type FixtureDefsOf<L extends readonly SomeArea[]> = UnionToIntersection<DefsOf<L[number]>>;

/**
 * Loads every area's fixtures into one definitions object. Two areas defining one
 * fixture name would silently replace each other, so that is refused by name.
 */
export async function composeFixtures<L extends readonly SomeArea[]>(
  areas: L,
  taken: readonly string[] = [],
): Promise<FixtureDefsOf<L>> {
  const owner = new Map<string, string>(taken.map((n) => [n, 'the core fixtures']));
  const defs: Record<string, unknown> = {};
  for (const area of areas) {
    const { worker, test } = await area.fixtures();
    for (const [name, def] of [...Object.entries(worker), ...Object.entries(test)]) {
      const first = owner.get(name);
      if (first)
        throw new Error(
          `area ${area.name} defines the fixture "${name}" that ${first} already defines: rename one of them`,
        );
      owner.set(name, `area ${area.name}`);
      defs[name] = def;
    }
  }
  // the loop above put each listed area's definitions under their own names: the
  // intersection of the areas' declared definition types, which a loop cannot spell
  return defs as FixtureDefsOf<L>;
}
