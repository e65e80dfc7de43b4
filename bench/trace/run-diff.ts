// One timed trace diff, run as its own process by the benchmark so that its
// peak RSS is measured alone: `tsx bench/trace/run-diff.ts <a> <b>`.
// Prints the summary as JSON; records go nowhere (the bench measures the engine).
import { diffTracesInWorker } from '../../harness/trace/diff-in-worker.ts';

const [a, b, heap] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: tsx bench/trace/run-diff.ts <snapshot-a> <snapshot-b> [heap-mb]');
  process.exit(2);
}
let records = 0;
// the engine as `cohesix-qa trace diff` runs it: in its worker, with its bounded heap
const summary = await diffTracesInWorker(
  { a, b },
  { key: ['agent', 'event', 'detail'] },
  () => {
    records++;
  },
  heap ? Number(heap) : undefined,
);
console.log(JSON.stringify({ ...summary, records, maxRssKb: process.resourceUsage().maxRSS }));
