// The report's only script: status chips, the suite selector and the search box
// hide rows that do not match (and groups left empty); the state lives in the
// URL fragment (#?s=failed&suite=boot&q=…) so a filtered view can be linked.
// "/" focuses the search box, Escape clears it. No network, no libraries.
export const JS = `(() => {
  const $ = (s) => document.querySelector(s);
  const $$ = (s) => Array.from(document.querySelectorAll(s));
  const q = $('#q'), suite = $('#suite'), none = $('#none');
  const rows = $$('details.case').map((el) => ({ el, text: el.textContent.toLowerCase() }));
  let status = 'all';
  function apply(save) {
    const words = q.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const r of rows) {
      const d = r.el.dataset;
      const ok = (status === 'all' || d.status === status) && (!suite.value || d.suite === suite.value) &&
        words.every((w) => r.text.includes(w));
      r.el.hidden = !ok;
      if (ok) shown++;
    }
    for (const g of $$('section.group')) g.hidden = !g.querySelector('details.case:not([hidden])');
    none.hidden = shown > 0;
    for (const b of $$('[data-f]')) b.setAttribute('aria-pressed', String(b.dataset.f === status));
    if (!save) return;
    const p = new URLSearchParams();
    if (status !== 'all') p.set('s', status);
    if (suite.value) p.set('suite', suite.value);
    if (q.value.trim()) p.set('q', q.value.trim());
    const hash = p.toString() ? '#?' + p.toString() : '#';
    if (location.hash !== hash) location.replace(hash);
  }
  for (const b of $$('[data-f]')) b.addEventListener('click', () => { status = b.dataset.f; apply(true); });
  suite.addEventListener('change', () => apply(true));
  q.addEventListener('input', () => apply(true));
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== q) { e.preventDefault(); q.focus(); }
    else if (e.key === 'Escape' && document.activeElement === q) { q.value = ''; apply(true); }
  });
  const p = new URLSearchParams(location.hash.replace(/^#\\??/, ''));
  status = p.get('s') || 'all';
  if (!$$('[data-f]').some((b) => b.dataset.f === status)) status = 'all';
  if (Array.from(suite.options).some((o) => o.value === p.get('suite'))) suite.value = p.get('suite');
  q.value = p.get('q') || '';
  apply(false);
})();
`;
