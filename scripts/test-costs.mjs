#!/usr/bin/env node
// Rewrites test/file-costs.json (seconds per test file, read by test/cost-sequencer.ts)
// from a vitest JSON report:
//   npx vitest run --reporter=default --reporter=json --outputFile=/tmp/vitest.json
//   node scripts/test-costs.mjs /tmp/vitest.json
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const report = process.argv[2];
if (!report) {
  console.error('usage: node scripts/test-costs.mjs <vitest JSON report>');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
const costs = Object.fromEntries(
  testResults
    .map((r) => [relative(root, r.name), Math.max(1, Math.round((r.endTime - r.startTime) / 1000))])
    .sort((a, b) => b[1] - a[1]),
);
writeFileSync(resolve(root, 'test/file-costs.json'), JSON.stringify(costs, null, 2) + '\n');
console.log(`test/file-costs.json: ${Object.keys(costs).length} files`);
