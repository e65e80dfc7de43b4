// The trace diff for large traces, run in a worker thread with a bounded heap.
// The engine's live data is bounded by design (harness/trace/diff.ts), but V8
// grows its heap lazily: on a 1 GB trace the process's RSS reached 400 MB of
// mostly uncollected garbage. A worker's heap limit makes V8 collect instead, so
// peak RSS stays flat in the trace's size; running out of it is a clear error.
import { Worker } from 'node:worker_threads';
import { TraceDiffError, type DiffOptions, type DiffSink, type DiffSummary } from './diff.ts';
import { LineTooLongError } from './lines.ts';
import { TraceSourceError } from './source.ts';
import type { DiffWorkerData, DiffWorkerMessage } from './diff-worker.ts';

/** Old-generation heap of the worker: buckets are ~4 MB, their maps a few times that. */
export const DIFF_HEAP_MB = 96;

export interface DiffLocation {
  a: string;
  b: string;
  nsRoot?: string;
}

function rebuild(name: string, message: string): Error {
  if (name === 'TraceSourceError') return new TraceSourceError(message);
  if (name === 'LineTooLongError') return new LineTooLongError(message);
  if (name === 'TraceDiffError') return new TraceDiffError(message);
  return Object.assign(new Error(message), { name });
}

export function diffTracesInWorker(
  where: DiffLocation,
  options: Partial<DiffOptions>,
  sink: DiffSink,
  heapMb = DIFF_HEAP_MB,
): Promise<DiffSummary> {
  const workerData: DiffWorkerData = { ...where, options, batch: 512 };
  const worker = new Worker(new URL('./diff-worker-boot.mjs', import.meta.url), {
    workerData,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 },
  });
  return new Promise<DiffSummary>((resolve, reject) => {
    let settled = false;
    // a failing sink stops the worker through the protocol, not terminate(), so the
    // engine's finally removes its spooled buckets; the sink's error is what we report
    let sinkError: Error | undefined;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: DiffWorkerMessage) => {
      if (m.type === 'records') {
        void (async () => {
          try {
            for (const r of m.records) await sink(r);
            worker.postMessage('ack');
          } catch (e) {
            sinkError = e as Error;
            worker.postMessage('stop');
          }
        })();
      } else if (m.type === 'done') settle(() => resolve(m.summary));
      else settle(() => reject(sinkError ?? rebuild(m.name, m.message)));
    });
    worker.on('error', (e: Error & { code?: string }) =>
      settle(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new TraceDiffError(
                `the diff needed more than its ${heapMb} MB heap (hot keys or very long lines?)\n  fix: diff with a more specific --key, or raise the heap with --heap-mb`,
              )
            : e,
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() =>
        reject(sinkError ?? new TraceDiffError(`the diff worker stopped (exit ${code}) before it finished`)),
      ),
    );
  });
}
