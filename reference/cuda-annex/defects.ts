// Upstream CUDA executor gaps, each caught by exactly one case of suites/cuda-annex.
import type { DefectSpec } from '../defect-spec.ts';

const SUITE = 'cuda-annex';

export const cudaAnnexDefects: DefectSpec[] = [
  {
    name: 'cuda-silent-success',
    suite: SUITE,
    caseTitle:
      'fallback > missing_remote_endpoint: the job completes on the CPU path with the correct result',
    summary: 'with no endpoint configured the executor reports success and drops the job',
  },
  {
    name: 'cuda-no-telemetry',
    suite: SUITE,
    caseTitle: 'fallback > every fallback emits telemetry: source cuda, the reason, then fallback cpu',
    summary: 'the executor falls back to the CPU without emitting any telemetry',
  },
  {
    name: 'cuda-stale-status',
    suite: SUITE,
    caseTitle: 'status > /api/status shows an annex outage and its recovery within the bound',
    summary: "the worker's heartbeat keeps reporting a healthy annex, so /api/status never shows the outage",
  },
  {
    name: 'cuda-double-run',
    suite: SUITE,
    caseTitle:
      'outage campaign > 200 jobs through random outages: fallback ratio >= 95 %, each job counted once',
    summary: 'a job that ran on the annex also runs on the CPU path and is counted twice',
  },
];
