// The budget judgment, made in one place: a time in ms (one sample, or the
// chosen statistic of many) against a budget in ms. A timeline's stages, a
// cold-boot report, the measurement in results.json and the failing case's
// sentence all ask this module, so they cannot disagree about one boot.
import { summarize, type Statistic } from './stats.ts';

/** the statistic judged when the configuration names none */
export const DEFAULT_STATISTIC: Statistic = 'median';

export interface BudgetJudgment {
  statistic: Statistic;
  /** the statistic of the samples, ms; null when there is no sample to judge */
  valueMs: number | null;
  budgetMs: number;
  n: number;
  withinBudget: boolean;
}

/** one time against its budget; a time that was never measured is not within it */
export function withinBudget(valueMs: number | null | undefined, budgetMs: number): boolean {
  return typeof valueMs === 'number' && Number.isFinite(valueMs) && valueMs <= budgetMs;
}

/** the statistic of the samples against the budget; no samples: nothing within budget */
export function judgeBudget(
  samples: readonly number[],
  budgetMs: number,
  statistic: Statistic = DEFAULT_STATISTIC,
): BudgetJudgment {
  const s = summarize(samples.filter((v) => Number.isFinite(v)));
  const valueMs = s.n > 0 ? s[statistic] : null;
  return { statistic, valueMs, budgetMs, n: s.n, withinBudget: withinBudget(valueMs, budgetMs) };
}

const ms = (v: number): string => `${Number(v.toFixed(3))} ms`;

/**
 * The judgment in words, naming the budget by where it is set (e.g.
 * "boot.budgetMs"): "median cold boot to "boot_ok" is 61.2 ms over 5 samples,
 * over the budget boot.budgetMs = 1 ms".
 */
export function budgetSentence(what: string, j: BudgetJudgment, budgetName: string): string {
  if (j.valueMs === null)
    return `${what} has no sample to judge against the budget ${budgetName} = ${ms(j.budgetMs)}`;
  const verdict = j.withinBudget ? 'within' : 'over';
  return `${j.statistic} ${what} is ${ms(j.valueMs)} over ${j.n} sample${j.n === 1 ? '' : 's'}, ${verdict} the budget ${budgetName} = ${ms(j.budgetMs)}`;
}
