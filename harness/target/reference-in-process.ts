// The one door through which fixtures reach reference parts that run inside the
// suite's own process (today only the cuda-annex lab: the reference annex, whose
// fault handle the suite steers, and the reference worker executor). Everything
// else of the reference target is reached through its endpoints; lint and
// test/architecture/imports.test.ts keep other harness code off reference/.
export { startReferenceAnnex } from '../../reference/cuda-annex/annex.ts';
export { inProcessWorker } from '../../reference/cuda-annex/in-process-worker.ts';
export { cudaAnnexDefects } from '../../reference/cuda-annex/defect-names.ts';
export type { CudaAnnexResources } from '../../reference/cuda-annex/resources.ts';
