// junit.xml: testsuites > testsuite (one a suite area) > testcase, with failure
// (product), error (infrastructure) or skipped. Only attributes the common JUnit
// XSD knows, so Jenkins, GitLab and GitHub test viewers all read it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, ReporterContext } from './types.ts';
import type { CaseResult } from '../harness/results/model.ts';
import type { RunReport } from '../harness/history/run-report.ts';
import { attemptsNote, quarantineNote } from './format.ts';
import { problemsHeadline, problemsOfError } from '../harness/results/problem.ts';

/** A quarantined failure is reported, but does not fail the run: JUnit readers see it as skipped. */
const quarantined = (c: CaseResult) =>
  c.quarantine !== undefined && (c.status === 'failed' || c.status === 'infra-error');

// every character XML 1.0 forbids (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/F)
const XML_ALLOWED = '\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}';
const XML_FORBIDDEN = new RegExp(`[^${XML_ALLOWED}]`, 'gu');

function xml(s: string): string {
  // strip characters XML 1.0 forbids, then escape
  return s
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

function testcase(c: CaseResult): string {
  const open = `    <testcase name="${xml(c.fullTitle)}" classname="${xml(`${c.suite}.${c.file}`)}" time="${secs(c.durationMs)}"`;
  const body: string[] = [];
  // the common schema allows one child in a testcase, so evidence goes into the failure text;
  // the message is every problem of the case (the attribute carries the first)
  const where =
    (c.error?.location ? `\nat ${c.error.location.file}:${c.error.location.line}` : '') +
    c.evidence.map((e) => `\nevidence ${e.name}: ${e.path}${e.excerpt ? `\n${e.excerpt}` : ''}`).join('');
  if (quarantined(c)) {
    body.push(
      `      <skipped message="${xml(`${c.status}, ${quarantineNote(c)}`)}">${xml((c.error?.message ?? '') + where)}</skipped>`,
    );
  } else if (c.status === 'failed') {
    body.push(
      `      <failure message="${xml(c.error ? problemsHeadline(problemsOfError(c.error)) : 'failed')}" type="${xml(c.error?.name ?? 'Error')}">${xml((c.error?.message ?? '') + where)}</failure>`,
    );
  } else if (c.status === 'infra-error') {
    body.push(
      `      <error message="${xml(`infrastructure error: ${c.error?.message.split('\n')[0] ?? ''}`)}" type="InfraError">${xml((c.error?.message ?? '') + where)}</error>`,
    );
  } else if (c.status === 'skipped') {
    body.push(c.skipReason ? `      <skipped message="${xml(c.skipReason)}"/>` : '      <skipped/>');
  }
  return body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
}

export function renderJunit(r: RunReport): string {
  const suites = [...new Set(r.cases.map((c) => c.suite))];
  const startedAt = r.runs[0]?.startedAt ?? new Date().toISOString();
  const host = r.runs[0]?.provenance.host ?? 'localhost';
  const total = (cs: CaseResult[]) => ({
    tests: cs.length,
    failures: cs.filter((c) => c.status === 'failed' && !quarantined(c)).length,
    errors: cs.filter((c) => c.status === 'infra-error' && !quarantined(c)).length,
    skipped: cs.filter((c) => c.status === 'skipped' || quarantined(c)).length,
    time: secs(cs.reduce((s, c) => s + c.durationMs, 0)),
  });
  const all = total(r.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // no attributes on <testsuites>: the Ant JUnit schema declares none
    `<!-- cohesix-qa: ${all.tests} tests, ${all.failures} failures, ${all.errors} infrastructure errors, ${all.skipped} skipped, ${all.time} s -->`,
    '<testsuites>',
  ];
  suites.forEach((s, id) => {
    const cs = r.cases.filter((c) => c.suite === s);
    const t = total(cs);
    lines.push(
      `  <testsuite name="${xml(s)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${t.time}" timestamp="${startedAt.slice(0, 19)}" hostname="${xml(host)}" id="${id}" package="${xml(s)}">`,
      '    <properties>',
      ...r.measurements
        .filter((m) => m.suite === s)
        .map(
          (m) =>
            `      <property name="${xml(`measurement.${m.name}.median_${m.unit}`)}" value="${m.median}"/>`,
        ),
      `      <property name="target" value="${xml(r.runs[0]?.provenance.targetName ?? '')}"/>`,
      // the common schema gives testcases no properties, so flaky marks are suite properties
      ...cs
        .filter((c) => c.flaky)
        .map(
          (c) => `      <property name="${xml(`flaky.${c.fullTitle}`)}" value="${xml(attemptsNote(c))}"/>`,
        ),
      '    </properties>',
      ...cs.map(testcase),
      '    <system-out/>',
      '    <system-err/>',
      '  </testsuite>',
    );
  });
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

export function junitReporter(ctx: ReporterContext): Reporter {
  return {
    name: 'junit',
    onEnd(r) {
      writeFileSync(join(ctx.outDir, 'junit.xml'), renderJunit(r));
    },
  };
}
