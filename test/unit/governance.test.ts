import { describe, expect, it } from 'vitest';
import { mkdtempSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHeader } from '../../harness/governance/header.ts';
import { businessDaysBetween, addBusinessDays } from '../../harness/governance/business-days.ts';
import { licenceAllowed, DEFAULT_ALLOWED } from '../../harness/governance/licences.ts';
import { findPlaceholders } from '../../harness/governance/placeholders.ts';
import { latestReview } from '../../harness/governance/threat-model.ts';
import { GovernanceTree } from '../../harness/governance/checks.ts';
import { SAMPLE_TREE, SAMPLE_AS_OF } from '../../reference/governance/service.ts';

describe('file headers', () => {
  const good =
    '// CLASSIFICATION: COMMUNITY\n// Filename: a.rs v1.2\n// Author: A\n// Date Modified: 2029-01-02\nfn main() {}\n';
  it('parses a complete header', () => {
    const r = parseHeader('src/a.rs', good);
    expect(r.findings).toEqual([]);
    expect(r.header).toMatchObject({
      classification: 'COMMUNITY',
      filename: 'a.rs',
      version: '1.2',
      dateModified: '2029-01-02',
    });
  });
  it('names the wrong comment style, the wrong file name and a bad date by line', () => {
    const r = parseHeader(
      'run.sh',
      '#!/bin/sh\n// CLASSIFICATION: COMMUNITY\n# Filename: other.sh v1\n# Author: A\n# Date Modified: 02/01/2029\n',
    );
    const msgs = r.findings.map((f) => `${f.line}: ${f.message}`);
    expect(msgs).toContainEqual(expect.stringMatching(/^2: header uses "\/\/" comments/));
    expect(msgs).toContainEqual(expect.stringMatching(/^3: Filename is "other.sh v1"/));
    expect(msgs).toContainEqual(expect.stringMatching(/^5: Date Modified is "02\/01\/2029"/));
  });
  it('reports a missing header once', () => {
    expect(parseHeader('a.rs', 'fn main() {}\n').findings).toHaveLength(1);
  });
});

describe('business days', () => {
  it('skips weekends (2029-01-05 is a Friday)', () => {
    expect(new Date('2029-01-05T00:00:00Z').getUTCDay()).toBe(5);
    expect(businessDaysBetween(new Date('2029-01-05T10:00:00Z'), new Date('2029-01-08T10:00:00Z'))).toBe(1);
    expect(addBusinessDays(new Date('2029-01-05T10:00:00Z'), 1).toISOString()).toBe(
      '2029-01-08T23:59:59.999Z',
    );
  });
});

describe('licences', () => {
  it('understands SPDX OR and AND', () => {
    expect(licenceAllowed('MIT OR GPL-3.0-only', DEFAULT_ALLOWED)).toBe(true);
    expect(licenceAllowed('MIT AND GPL-3.0-only', DEFAULT_ALLOWED)).toBe(false);
    expect(licenceAllowed('AGPL-3.0-or-later', DEFAULT_ALLOWED)).toBe(false);
    expect(licenceAllowed('not a licence', DEFAULT_ALLOWED)).toBe(false);
  });
});

describe('placeholders and reviews', () => {
  it('finds todo!(), unimplemented!() and TODO/FIXME comments, not the word in prose', () => {
    const text =
      'fn a() { todo!() }\nfn b() { unimplemented!() }\n// TODO: later\nlet todo_list = 1;\n# FIXME\n';
    expect(findPlaceholders('x.rs', text).map((f) => f.line)).toEqual([1, 2, 3, 5]);
  });
  it('takes the latest date of the review log', () => {
    expect(
      latestReview('# T\n## Review log\n| Date | R |\n|---|---|\n| 2029-01-02 | a |\n| 2028-12-01 | b |\n'),
    ).toEqual({ date: '2029-01-02', line: 5 });
  });
});

describe('the sample tree', () => {
  it('passes every check as of its date, and a broken copy does not', () => {
    const tree = new GovernanceTree(SAMPLE_TREE, { asOf: SAMPLE_AS_OF });
    expect(tree.headers().findings).toEqual([]);
    expect(tree.registrationFindings()).toEqual([]);
    expect(tree.versionFindings()).toEqual([]);
    expect(tree.licences().findings).toEqual([]);
    expect(tree.placeholderFindings()).toEqual([]);
    expect(tree.threatModelFindings()).toEqual([]);
    expect(tree.advisories().findings).toEqual([]);
    expect(tree.slaFindings()).toEqual([]);
    expect(tree.meanTimes().findings).toEqual([]);

    const copy = mkdtempSync(join(tmpdir(), 'gov-'));
    cpSync(SAMPLE_TREE, copy, { recursive: true });
    writeFileSync(join(copy, 'security/advisories.json'), '{"advisories":[{"id":"bad"}]}');
    const broken = new GovernanceTree(copy, { asOf: SAMPLE_AS_OF });
    expect(broken.advisories().findings.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/advisories\[0\]\.id: expected a string matching/),
    );
    // judged a year later, the same tree's threat model is stale and the open P2 is overdue
    const later = new GovernanceTree(SAMPLE_TREE, { asOf: '2030-03-31' });
    expect(later.threatModelFindings()).toHaveLength(1);
    expect(later.slaFindings().map((f) => f.message)).toContainEqual(
      expect.stringMatching(/CSA-2029-005 \(P2\) still not resolved/),
    );
  });
});
