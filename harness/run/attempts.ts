// Repeats and retries on one Vitest instance. Attempt 1 is the ordinary run; each
// repeat runs every planned file again; each retry round runs only the cases whose
// latest attempt may be retried (infrastructure errors, and product failures with
// --retry-product), selected by vitest test id. Every attempt reaches the stream as
// its own case-end, so the history and the flakiness verdict see all of them.
import type { Vitest } from 'vitest/node';
import type { RunPolicy } from '../results/events.ts';
import type { CaseOutcome, VitestBridge } from './vitest-bridge.ts';

export async function runAttempts(
  vitest: Vitest,
  bridge: VitestBridge,
  files: string[],
  policy: Pick<RunPolicy, 'repeat' | 'retries' | 'retryProduct'>,
  stopped: () => boolean,
): Promise<void> {
  const project = vitest.getRootProject();
  let attempt = 1;
  bridge.beginAttempt(attempt);
  await vitest.start(files);
  for (let r = 2; r <= policy.repeat && !stopped(); r++) {
    bridge.beginAttempt(++attempt);
    await vitest.runTestSpecifications(
      files.map((f) => project.createSpecification(f)),
      true,
    );
  }
  for (let round = 1; round <= policy.retries && !stopped(); round++) {
    const due = retriable([...bridge.outcomes.values()], policy.retryProduct);
    if (due.length === 0) break;
    bridge.beginAttempt(++attempt, { only: new Set(due.map((o) => o.ref.id)), retry: true });
    const byModule = new Map<string, string[]>();
    for (const o of due) byModule.set(o.moduleId, [...(byModule.get(o.moduleId) ?? []), o.testId]);
    await vitest.runTestSpecifications(
      [...byModule].map(([m, testIds]) => project.createSpecification(m, { testIds })),
      false,
    );
  }
}

/** Cases whose latest attempt may be retried under the policy. */
export function retriable(outcomes: readonly CaseOutcome[], retryProduct: boolean): CaseOutcome[] {
  return outcomes.filter((o) => o.status === 'infra-error' || (retryProduct && o.status === 'failed'));
}
