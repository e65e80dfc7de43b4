// The one door through which fixtures reach reference parts that run inside the
// suite's own process (today only the cuda-annex lab: the reference annex, whose
// fault handle the suite steers, and the reference worker executor). Everything
// else of the reference target is reached through its endpoints; lint and
// test/architecture/imports.test.ts keep other harness code off reference/.
// Why this door stays (#16 item 3): the campaign and the suite read the annex's ledger of
// executed jobs synchronously (harness/cuda-annex/campaign.ts, suites/cuda-annex/), and the
// worker executor carries the defect modes; an annex control endpoint (faults + ledger)
// needs those reads made async, and a worker process per case costs a CLI start each.
import { inProcessWorker as referenceWorker } from '../../reference/cuda-annex/in-process-worker.ts';
import type { CudaWorker } from '../cuda-annex/worker-driver.ts';

export { startReferenceAnnex } from '../../reference/cuda-annex/annex.ts';
export { cudaAnnexDefects } from '../../reference/cuda-annex/defect-names.ts';

/** the reference executor, held to the checker's worker shape here at the door */
export const inProcessWorker = (opts: Parameters<typeof referenceWorker>[0]): CudaWorker =>
  referenceWorker(opts);
