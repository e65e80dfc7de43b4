// Child process for the "killed while recording" test: records one synthetic run
// and SIGKILLs itself after every row is written, before the commit.
import { openHistory } from '../../../harness/history/store.ts';
import { synthRun } from './synth.ts';

const [spec, index] = process.argv.slice(2);
const store = await openHistory(spec!, process.cwd());
await store.record(
  synthRun({ index: Number(index), cases: [{ title: 'steady', attempts: ['passed'] }], boot: [1000, 1001] }),
  {
    beforeCommit: async () => {
      process.stdout.write('rows written, dying before commit\n');
      process.kill(process.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 10_000));
    },
  },
);
