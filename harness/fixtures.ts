// The one door suites use: `test`, `expect`, and the fixtures that hand them
// drivers bound to the target's resources. Suites never build a driver. The area
// fixtures come from the area list (harness/areas/index.ts); vitest's `extend` checks
// every definition against the fixture types derived from that list.
import { test as base, expect, describe } from 'vitest';
import {
  coreTestFixtures,
  coreWorkerFixtures,
  type CoreFixtures,
  type CoreWorkerFixtures,
} from './fixtures/core.ts';
import { problemsTestFixtures, type ProblemsFixtures } from './fixtures/problems.ts';
import { unconfiguredTestFixtures, type UnconfiguredTestFixtures } from './fixtures/unconfigured.ts';
import { HARNESS_AREAS } from './areas/index.ts';
import { composeFixtures, type TestFixturesOf, type WorkerFixturesOf } from './areas/compose.ts';

type Areas = typeof HARNESS_AREAS;
type TestFixtures = CoreFixtures & ProblemsFixtures & UnconfiguredTestFixtures & TestFixturesOf<Areas>;
type WorkerFixtures = CoreWorkerFixtures & WorkerFixturesOf<Areas>;

const coreFixtures = {
  ...coreWorkerFixtures,
  ...coreTestFixtures,
  ...problemsTestFixtures,
  ...unconfiguredTestFixtures,
};

export const test = base.extend<{ $test: TestFixtures; $worker: WorkerFixtures }>({
  ...coreFixtures,
  ...(await composeFixtures(HARNESS_AREAS, Object.keys(coreFixtures))),
});

export { expect, describe };
export { expectNoFindings } from './fixtures/assertions.ts';
export { InfraError, ProductError } from './errors.ts';
export type { Finding } from './governance/findings.ts';
export { bootSelfTestPoints } from './fixtures/boot.ts';
export { tapVerdict } from './boot/tap-stream.ts';
export type { Evidence } from './fixtures/core.ts';
export type { Problems, ProblemDetail } from './fixtures/problems.ts';
export type { Problem } from './results/problem.ts';
export type { FederationDriver } from './federation/driver.ts';
export {
  expectedJobResult,
  FALLBACK_REASONS,
  type FallbackReason,
  type CudaAnnexSession,
  type CudaWorker,
  type ApiStatus,
} from './fixtures/cuda-annex.ts';
export { cohPlan, SELF_TESTS, type CohScriptRef } from './fixtures/coh.ts';
