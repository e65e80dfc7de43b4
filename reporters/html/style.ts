// The report's stylesheet, inlined (the file must read offline from a CI
// artifact). Light and dark follow the reader's system setting. Case rows are
// one 20-pixel line so a passing run of a hundred cases fits a few screens.
export const CSS = `
:root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--soft:#f6f8fa;--zebra:#f9fafb;--hover:#eef2f6;
--ok:#1a7f37;--bad:#cf222e;--infra:#bc4c00;--flaky:#9a6700;--skip:#8c959f;--accent:#0969da;--budget:#cf222e;
--okbg:#dafbe1;--badbg:#ffebe9;--infrabg:#fff1e5;--flakybg:#fff8c5;--skipbg:#eaeef2;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--soft:#161b22;--zebra:#11161d;--hover:#1c2128;
--ok:#3fb950;--bad:#f85149;--infra:#f0883e;--flaky:#d29922;--skip:#6e7681;--accent:#4493f8;--budget:#f85149;
--okbg:#12261e;--badbg:#2d1214;--infrabg:#2b1a0c;--flakybg:#272110;--skipbg:#21262d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:13px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:1200px;margin:0 auto;padding:0 20px 16px}
h1{font-size:18px;margin:0;display:flex;gap:10px;align-items:center}
h2{font-size:15px;margin:18px 0 6px}
h3{font-size:13px;margin:0;padding:4px 8px;background:var(--soft);border-bottom:1px solid var(--line);display:flex;gap:10px;align-items:baseline}
a{color:var(--accent)}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{margin:4px 0;padding:8px 10px;background:var(--soft);border:1px solid var(--line);border-radius:6px;white-space:pre-wrap;word-break:break-word;max-height:24em;overflow:auto}
.muted{color:var(--muted)}.small{font-size:11.5px}.ok{color:var(--ok)}.bad{color:var(--bad);font-weight:600}
header{padding:16px 0 10px}
.meta{color:var(--muted);margin-top:4px}
.badge{font-size:12px;font-weight:700;padding:2px 10px;border-radius:12px;text-transform:uppercase;letter-spacing:.03em}
.b-passed{background:var(--okbg);color:var(--ok)}.b-failed,.b-interrupted{background:var(--badbg);color:var(--bad)}.b-infra-error{background:var(--infrabg);color:var(--infra)}
.bar{position:sticky;top:0;z-index:2;background:var(--bg);display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:8px 0;border-bottom:1px solid var(--line)}
.bar button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:16px;padding:3px 11px;cursor:pointer}
.bar button b{font-weight:600;margin-left:4px}
.bar button[aria-pressed=true]{background:var(--fg);color:var(--bg);border-color:var(--fg)}
.bar button:disabled{opacity:.45;cursor:default}
.bar select,.bar input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:4px 8px}
.bar input{flex:1;min-width:220px}
.alerts{margin:12px 0 0;padding:0;list-style:none}
.alerts li{margin:4px 0;padding:6px 10px;border-left:3px solid var(--bad);background:var(--badbg);border-radius:4px}
.alerts li.note{border-color:var(--ok);background:var(--okbg)}
#cases{margin-top:12px}
.group{border:1px solid var(--line);border-radius:6px;margin:0 0 8px;overflow:hidden}
.group[data-group=attention]{border-color:var(--bad)}
.group[data-group=attention] h3{background:var(--badbg)}
.counts span{margin-right:6px}
details.case:nth-of-type(even)>summary{background:var(--zebra)}
details.case[open]{border-bottom:1px solid var(--line)}
details.case>summary{display:flex;gap:8px;align-items:center;padding:0 8px;height:20px;cursor:pointer;list-style:none;white-space:nowrap}
details.case>summary::-webkit-details-marker{display:none}
details.case>summary:hover{background:var(--hover)}
details.case>summary::before{content:"▸";color:var(--muted);font-size:10px;width:8px}
details.case[open]>summary::before{content:"▾"}
.icon{width:14px;text-align:center;font-weight:700}
.title{flex:1;overflow:hidden;text-overflow:ellipsis}
.where{color:var(--muted);font-size:11.5px;overflow:hidden;text-overflow:ellipsis;max-width:32%}
.dur{color:var(--muted);font-variant-numeric:tabular-nums;width:64px;text-align:right;font-size:11.5px}
.tag{font-size:11px;padding:0 7px;border-radius:10px;background:var(--skipbg);color:var(--muted)}
.tag.q{background:var(--infrabg);color:var(--infra)}.tag.fl{background:var(--flakybg);color:var(--flaky)}
.st-passed .icon,.st-passed{color:var(--ok)}.st-failed .icon,span.st-failed{color:var(--bad)}
.st-infra-error .icon,span.st-infra-error{color:var(--infra)}.st-flaky .icon,span.st-flaky{color:var(--flaky)}
.st-skipped .icon,span.st-skipped{color:var(--skip)}
details.case .title{color:var(--fg)}
details.st-failed>summary .title,details.st-infra-error>summary .title{font-weight:600}
.body{padding:6px 12px 10px 32px;border-top:1px dashed var(--line)}
.error{margin:4px 0 8px}
.ename{font-weight:600;color:var(--bad);font-size:12px}
.st-infra-error .ename{color:var(--infra)}
pre.msg{border-left:3px solid var(--bad)}
.st-infra-error pre.msg{border-left-color:var(--infra)}
pre.diff{max-height:18em}
ol.problems{margin:4px 0;padding-left:22px}
ol.problems li{margin:3px 0}
ol.problems dl{display:grid;grid-template-columns:max-content 1fr;gap:0 8px;margin:2px 0}
ol.problems dt{color:var(--muted)}ol.problems dd{margin:0}
.loc{color:var(--muted);font-size:11.5px}
ol.attempts{padding-left:18px;margin:4px 0}
.label{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.04em;margin-top:6px}
.ev pre{max-height:14em}.ev{margin:2px 0}.ev>summary{cursor:pointer}
.id{margin-top:6px;word-break:break-all}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:middle;padding:3px 8px;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted);font-size:11.5px}
td.num{font-variant-numeric:tabular-nums}
tr.wf td{padding:2px 8px 10px}
svg text{font:11px system-ui,sans-serif;fill:var(--fg)}
svg .muted{fill:var(--muted)}svg .bad{fill:var(--bad);font-weight:600}
svg .budget{stroke:var(--budget);stroke-width:1.5;stroke-dasharray:4 3}
svg .sb{stroke:var(--budget);stroke-width:1.5}
svg .grid{stroke:var(--line)}svg .axis{stroke:var(--line)}svg .stat{stroke:var(--fg);stroke-width:1.5}
svg .pre{fill:var(--skip);opacity:.35}svg rect.over{stroke:var(--bad);stroke-width:1.5}
svg.strip circle{fill:var(--accent);opacity:.75}
svg.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5}svg.spark circle{fill:var(--accent)}
figure.waterfall{margin:0}
figure.waterfall svg{width:100%;max-width:760px;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:11.5px;margin-top:2px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.legend i.pre{background:var(--skip);opacity:.35}
details.prov>summary{cursor:pointer;color:var(--muted);margin-top:14px}
details.hist>summary{cursor:pointer;font-weight:600;font-size:14px;margin:16px 0 6px}
svg.trend polyline{fill:none;stroke-width:1.5}svg.trend .median *{stroke:var(--accent);fill:var(--accent)}svg.trend .p95 *{stroke:var(--bad);fill:var(--bad)}svg.trend polyline{fill:none!important}
details.prov th{width:14em}
[hidden]{display:none!important}
`;
