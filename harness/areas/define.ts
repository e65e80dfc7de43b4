// The harness half of an area's manifest: its name, the fixtures its suites use, the
// schema of its config section and its CLI commands. The reference half (service and
// defects) is reference/<area>/manifest.ts, keyed by the same name;
// test/architecture/areas.test.ts checks both halves name the same areas.
import type { Command } from 'commander';
import type { CoreFixtures, CoreWorkerFixtures } from '../fixtures/core.ts';
import type { WorkerFixtureDefs, TestFixtureDefs } from '../fixtures/defs.ts';

/** what an area's fixtures may read besides their own: the core fixtures of every suite */
type CoreContext = CoreFixtures & CoreWorkerFixtures;

export interface AreaFixtures<W extends object, T extends object> {
  worker: WorkerFixtureDefs<W, CoreWorkerFixtures>;
  test: TestFixtureDefs<T, CoreContext & W>;
}

export interface HarnessArea<W extends object = object, T extends object = object> {
  /** the suite area: suites/<name>/, the config section, the target's resources key */
  name: string;
  /** $id of the config section's schema; absent when the area takes no config */
  configSchema?: string;
  /**
   * the area's fixtures, loaded by the fixtures door (harness/fixtures.ts). A loader,
   * so the CLI reads the manifest without loading the area's drivers.
   */
  fixtures: () => Promise<AreaFixtures<W, T>>;
  /** the area's own CLI commands (harness/cli/commands/<name>.ts), added by harness/cli/main.ts */
  cli?: readonly ((program: Command) => void)[];
}

/** Declares an area; the type parameters are the fixtures it adds (worker- and test-scoped). */
export function defineArea<W extends object = object, T extends object = object>(
  area: HarnessArea<W, T>,
): HarnessArea<W, T> {
  return area;
}

/** the schema $id of an area's config section (schemas/config-<area>.schema.json) */
export const configSchemaId = (area: string): string =>
  `https://cohesix.dev/qa/schemas/config-${area}.schema.json`;
