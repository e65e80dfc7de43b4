// SIGINT / SIGTERM to a harness process that has QEMU running: stop every
// instance gracefully (bounded), kill whatever is left, exit 128+signal.
// SIGKILL cannot be caught: children die through their parent-death signal
// (harness/process/spawn.ts) and leftovers are reaped at the next start.
import { killAllSync } from '../process/registry.ts';

type Cleanup = () => Promise<void>;
const cleanups = new Set<Cleanup>();
let installed = false;

export function onInterrupt(cleanup: Cleanup): () => void {
  if (!installed) {
    installed = true;
    for (const [sig, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(sig, () => {
        const all = [...cleanups].map((c) => c().catch(() => undefined));
        const bound = new Promise((r) => setTimeout(r, 2000).unref());
        void Promise.race([Promise.all(all), bound]).finally(() => {
          killAllSync('SIGKILL');
          process.exit(code);
        });
      });
    }
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
