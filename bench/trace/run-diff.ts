// One timed trace diff, run as its own process by the benchmark so that its
// peak RSS is measured alone: `tsx bench/trace/run-diff.ts <a> <b>`.
// Prints the summary as JSON; records go nowhere (the bench measures the engine).
import { diffTraces } from '../../harness/trace/diff.ts';
import { LocalTraceSource } from '../../harness/trace/source.ts';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: tsx bench/trace/run-diff.ts <snapshot-a> <snapshot-b>');
  process.exit(2);
}
let records = 0;
const summary = await diffTraces(
  new LocalTraceSource(a),
  new LocalTraceSource(b),
  { key: ['agent', 'event', 'detail'] },
  () => {
    records++;
  },
);
console.log(JSON.stringify({ ...summary, records, maxRssKb: process.resourceUsage().maxRSS }));
