// The worker side of harness/trace/diff-in-worker.ts: run the diff engine and
// send its records to the parent in batches, waiting for each batch to be taken
// before producing more, so neither side queues a large trace's deviations.
import { parentPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import { diffTraces, type DiffOptions, type DiffRecord } from './diff.ts';
import { LocalNamespace, LocalTraceSource, NamespaceTraceSource, type TraceSource } from './source.ts';

export interface DiffWorkerData {
  a: string;
  b: string;
  /** a and b are namespace paths under this local folder */
  nsRoot?: string;
  options: Partial<DiffOptions>;
  batch: number;
}

export type DiffWorkerMessage =
  | { type: 'records'; records: DiffRecord[] }
  | { type: 'done'; summary: Awaited<ReturnType<typeof diffTraces>> }
  | { type: 'error'; name: string; message: string };

const port = parentPort!;
const data = workerData as DiffWorkerData;
const source = (p: string): TraceSource =>
  data.nsRoot ? new NamespaceTraceSource(new LocalNamespace(data.nsRoot), p) : new LocalTraceSource(p);

let pending: DiffRecord[] = [];
const send = async (): Promise<void> => {
  if (pending.length === 0) return;
  const records = pending;
  pending = [];
  port.postMessage({ type: 'records', records } satisfies DiffWorkerMessage);
  // the parent's answer: 'ack' (its sink took the batch) or 'stop' (its sink failed);
  // stopping by throwing lets the engine remove its spooled buckets on the way out
  const [answer] = (await once(port, 'message')) as [string];
  if (answer === 'stop') throw new Error('stopped: the parent could not take the records');
};

try {
  const summary = await diffTraces(source(data.a), source(data.b), data.options, async (r) => {
    pending.push(r);
    if (pending.length >= data.batch) await send();
  });
  await send();
  port.postMessage({ type: 'done', summary } satisfies DiffWorkerMessage);
} catch (e) {
  const err = e as Error;
  port.postMessage({ type: 'error', name: err.name, message: err.message } satisfies DiffWorkerMessage);
}
