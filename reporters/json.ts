// Prints results.json to stdout at the end, for piping into jq. (results.json and
// events.jsonl are always written to the out dir, whatever the reporters.)
import type { Reporter, ReporterContext } from './types.ts';

export function jsonReporter(ctx: ReporterContext): Reporter {
  return {
    name: 'json',
    onEnd(results) {
      ctx.write(JSON.stringify(results, null, 2) + '\n');
    },
  };
}
