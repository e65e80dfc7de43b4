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

export function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
