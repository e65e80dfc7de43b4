// The one door suites use: `test`, `expect`, and the fixtures that hand them
// drivers bound to the target's resources. Suites never build a driver.
import { test as base, expect, describe } from 'vitest';
import {
  coreTestFixtures,
  coreWorkerFixtures,
  type CoreFixtures,
  type CoreWorkerFixtures,
} from './fixtures/core.ts';
import { governanceFixtures, type GovernanceWorkerFixtures } from './fixtures/governance.ts';
import {
  bootTestFixtures,
  bootWorkerFixtures,
  type BootTestFixtures,
  type BootWorkerFixtures,
} from './fixtures/boot.ts';

type TestFixtures = CoreFixtures & BootTestFixtures;
type WorkerFixtures = CoreWorkerFixtures & GovernanceWorkerFixtures & BootWorkerFixtures;

export const test = base.extend<{ $test: TestFixtures; $worker: WorkerFixtures }>({
  ...(coreWorkerFixtures as object),
  ...(coreTestFixtures as object),
  ...(governanceFixtures as object),
  ...(bootWorkerFixtures as object),
  ...(bootTestFixtures as object),
} as never);

export { expect, describe };
export { expectNoFindings } from './fixtures/assertions.ts';
export { InfraError, ProductError } from './errors.ts';
export type { Finding } from './governance/findings.ts';
export { bootSelfTestPoints } from './fixtures/boot.ts';
