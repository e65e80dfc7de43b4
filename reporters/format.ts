// Small formatting helpers shared by reporters (text only; no result logic).
import type { CaseResult } from '../harness/results/model.ts';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function statusLabel(status: CaseResult['status']): string {
  return { passed: 'passed', failed: 'FAILED', skipped: 'skipped', 'infra-error': 'INFRASTRUCTURE ERROR' }[
    status
  ];
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function fmtNum(n: number | null | undefined): string {
  // a measurement whose every sample failed has no statistic (NaN, null once it went through JSON)
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** "flaky: failed 1 of 5 attempts" and the like; empty for a case that ran once. */
export function attemptsNote(c: CaseResult): string {
  const a = c.attempts;
  if (!a || a.length < 2) return '';
  const failed = a.filter((x) => x.status === 'failed').length;
  const infra = a.filter((x) => x.status === 'infra-error').length;
  const parts = [`${a.length} attempts`];
  if (failed) parts.push(`${failed} failed`);
  if (infra) parts.push(`${infra} infrastructure errors`);
  return `${c.flaky ? 'flaky: ' : ''}${parts.join(', ')}`;
}

/** "quarantined until 2030-01-31 (owner: reason)" */
export function quarantineNote(c: CaseResult): string {
  const q = c.quarantine;
  return q ? `quarantined until ${q.expires} (${q.owner}: ${q.reason})` : '';
}
