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
import { federationWorkerFixtures, type FederationWorkerFixtures } from './fixtures/federation.ts';

type TestFixtures = CoreFixtures;
type WorkerFixtures = CoreWorkerFixtures & GovernanceWorkerFixtures & FederationWorkerFixtures;

export const test = base.extend<{ $test: TestFixtures; $worker: WorkerFixtures }>({
  ...(coreWorkerFixtures as object),
  ...(coreTestFixtures as object),
  ...(governanceFixtures as object),
  ...(federationWorkerFixtures as object),
} as never);

export { expect, describe };
export { expectNoFindings } from './fixtures/assertions.ts';
export { InfraError, ProductError } from './errors.ts';
export type { Finding } from './governance/findings.ts';
export type { Evidence } from './fixtures/core.ts';
export type { FederationDriver } from './federation/driver.ts';
