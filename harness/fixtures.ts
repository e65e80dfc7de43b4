// The one door suites use: `test`, `expect`, and the fixtures that hand them
// drivers bound to the target's resources. Suites never build a driver.
import { test as base, expect, describe } from 'vitest';
import {
  coreTestFixtures,
  coreWorkerFixtures,
  type CoreFixtures,
  type CoreWorkerFixtures,
} from './fixtures/core.ts';
import { problemsTestFixtures, type ProblemsFixtures } from './fixtures/problems.ts';
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
import {
  cohWorkerFixtures,
  type CohWorkerFixtures,
  cohTestFixtures,
  type CohTestFixtures,
} from './fixtures/coh.ts';
import { unconfiguredTestFixtures, type UnconfiguredTestFixtures } from './fixtures/unconfigured.ts';

type TestFixtures = CoreFixtures &
  ProblemsFixtures &
  BootTestFixtures &
  Secure9pTestFixtures &
  GuiTestFixtures &
  CudaAnnexTestFixtures &
  TraceTestFixtures &
  ReleaseTestFixtures &
  CohTestFixtures &
  UnconfiguredTestFixtures;
type WorkerFixtures = CoreWorkerFixtures &
  GovernanceWorkerFixtures &
  BootWorkerFixtures &
  Secure9pWorkerFixtures &
  GuiWorkerFixtures &
  CudaAnnexWorkerFixtures &
  TraceWorkerFixtures &
  FederationWorkerFixtures &
  ReleaseWorkerFixtures &
  CohWorkerFixtures;

export const test = base.extend<{ $test: TestFixtures; $worker: WorkerFixtures }>({
  ...(coreWorkerFixtures as object),
  ...(coreTestFixtures as object),
  ...(problemsTestFixtures as object),
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
  ...(cohWorkerFixtures as object),
  ...(cohTestFixtures as object),
  ...(unconfiguredTestFixtures as object),
} as never);

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
