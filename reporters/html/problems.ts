// A case's error as HTML: the whole message, then every problem the case's checks
// found (`error.problems`: message, at / expected / found), then the `diff` when a
// producer left one.
import type { CaseError } from '../../harness/results/events.ts';
import type { Problem } from '../../harness/results/problem.ts';
import { escapeHtml as h } from '../format.ts';

/** The problems carried on an error, when it carries a well-formed list. */
export function problemsOf(err: CaseError): Problem[] {
  // results.json may come from an older or foreign writer: render only well-formed entries
  const list: unknown = err.problems;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (p: unknown): p is Problem =>
      typeof p === 'object' && p !== null && typeof (p as Problem).message === 'string',
  );
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function problemItem(p: Problem): string {
  const facts = [
    p.path !== undefined ? `<dt>at</dt><dd><code>${h(p.path)}</code></dd>` : '',
    p.expected !== undefined ? `<dt>expected</dt><dd><code>${h(show(p.expected))}</code></dd>` : '',
    p.found !== undefined ? `<dt>found</dt><dd><code>${h(show(p.found))}</code></dd>` : '',
  ].join('');
  return `<li>${h(p.message)}${facts ? `<dl>${facts}</dl>` : ''}</li>`;
}

export function renderError(err: CaseError): string {
  const problems = problemsOf(err);
  const where = err.location
    ? `<div class="loc">at ${h(err.location.file)}:${err.location.line}${err.location.column ? `:${err.location.column}` : ''}</div>`
    : '';
  const list = problems.length
    ? `<ol class="problems" aria-label="${problems.length} problems">${problems.map(problemItem).join('')}</ol>`
    : '';
  const diff = err.diff ? `<pre class="diff">${h(err.diff)}</pre>` : '';
  return `<div class="error"><div class="ename">${h(err.name)}</div><pre class="msg">${h(err.message)}</pre>${list}${diff}${where}</div>`;
}
