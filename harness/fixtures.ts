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
  bootWorkerFixtures,
  type BootWorkerFixtures,
  bootTestFixtures,
  type BootTestFixtures,
} from './fixtures/boot.ts';
import {
  secure9pWorkerFixtures,
  type Secure9pWorkerFixtures,
  secure9pTestFixtures,
  type Secure9pTestFixtures,
} from './fixtures/secure9p.ts';
import {
  guiWorkerFixtures,
  type GuiWorkerFixtures,
  guiTestFixtures,
  type GuiTestFixtures,
} from './fixtures/gui.ts';
import {
  cudaAnnexWorkerFixtures,
  type CudaAnnexWorkerFixtures,
  cudaAnnexTestFixtures,
  type CudaAnnexTestFixtures,
} from './fixtures/cuda-annex.ts';
import {
  traceWorkerFixtures,
  type TraceWorkerFixtures,
  traceTestFixtures,
  type TraceTestFixtures,
} from './fixtures/trace.ts';
import { federationWorkerFixtures, type FederationWorkerFixtures } from './fixtures/federation.ts';
import {
  releaseWorkerFixtures,
  type ReleaseWorkerFixtures,
  releaseTestFixtures,
  type ReleaseTestFixtures,
} from './fixtures/release.ts';
import { unconfiguredTestFixtures, type UnconfiguredTestFixtures } from './fixtures/unconfigured.ts';

type TestFixtures = CoreFixtures &
  BootTestFixtures &
  Secure9pTestFixtures &
  GuiTestFixtures &
  CudaAnnexTestFixtures &
  TraceTestFixtures &
  ReleaseTestFixtures &
  UnconfiguredTestFixtures;
type WorkerFixtures = CoreWorkerFixtures &
  GovernanceWorkerFixtures &
  BootWorkerFixtures &
  Secure9pWorkerFixtures &
  GuiWorkerFixtures &
  CudaAnnexWorkerFixtures &
  TraceWorkerFixtures &
  FederationWorkerFixtures &
  ReleaseWorkerFixtures;

export const test = base.extend<{ $test: TestFixtures; $worker: WorkerFixtures }>({
  ...(coreWorkerFixtures as object),
  ...(coreTestFixtures as object),
  ...(governanceFixtures as object),
  ...(bootWorkerFixtures as object),
  ...(bootTestFixtures as object),
  ...(secure9pWorkerFixtures as object),
  ...(secure9pTestFixtures as object),
  ...(guiWorkerFixtures as object),
  ...(guiTestFixtures as object),
  ...(cudaAnnexWorkerFixtures as object),
  ...(cudaAnnexTestFixtures as object),
  ...(traceWorkerFixtures as object),
  ...(traceTestFixtures as object),
  ...(federationWorkerFixtures as object),
  ...(releaseWorkerFixtures as object),
  ...(releaseTestFixtures as object),
  ...(unconfiguredTestFixtures as object),
} as never);

export { expect, describe };
export { expectNoFindings } from './fixtures/assertions.ts';
export { InfraError, ProductError } from './errors.ts';
export type { Finding } from './governance/findings.ts';
export { bootSelfTestPoints } from './fixtures/boot.ts';
export type { Evidence } from './fixtures/core.ts';
export type { FederationDriver } from './federation/driver.ts';
export {
  computeJob,
  FALLBACK_REASONS,
  type FallbackReason,
  type CudaAnnexSession,
  type CudaWorker,
  type ApiStatus,
} from './fixtures/cuda-annex.ts';
