// Defect modes of the trace area, each reproducing an upstream gap and each
// caught by exactly one case of suites/trace/.
import type { DefectSpec } from '../defect-spec.ts';

export const traceDefects: DefectSpec[] = [
  {
    name: 'trace-srv-path',
    knob: 'recorder',
    suite: 'trace',
    caseTitle: 'trace recording > recorders honour /log/trace/',
    summary: 'the runtime recorder writes its trace to /srv/trace instead of /log/trace/',
  },
  {
    name: 'trace-bad-line',
    knob: 'recorder',
    suite: 'trace',
    caseTitle: 'trace recording > every trace line is schema-valid',
    summary: 'one recorded event is missing its ok field',
  },
  {
    name: 'trace-drops-denials',
    knob: 'recorder',
    suite: 'trace',
    caseTitle: 'trace recording > every Secure9P and CLI action of the run appears in the trace',
    summary:
      'the recorder leaves out refused actions (ok: false): a Secure9P write the policy denies and a failed CLI command never reach the trace',
  },
  {
    name: 'consensus-accepts-minority',
    knob: 'consensus rule',
    suite: 'trace',
    caseTitle:
      'trace consensus > below 2/3 of signatures the vote fails with an actionable ConsensusError and a fault file',
    summary: 'the queens accept a window with a simple majority (3 of 5) instead of 2/3 of signatures',
  },
  {
    name: 'consensus-unsigned-segment',
    knob: 'consensus rule',
    suite: 'trace',
    caseTitle: 'trace consensus > peers refuse a segment without a valid signature',
    summary: 'peers vote on segments without checking the sender signature',
  },
  {
    name: 'consensus-no-fallback',
    knob: 'consensus rule',
    suite: 'trace',
    caseTitle: 'trace consensus > a failed vote falls back to the last good snapshot',
    summary:
      'a failed vote raises ConsensusError but keeps the rejected window instead of restoring the last good snapshot',
  },
  {
    name: 'validator-rule-no-window',
    suite: 'trace',
    caseTitle:
      'validator rules > every rule carries version, activation_window and source, and the rules log agrees',
    summary:
      'a shipped validator rule has no activation_window and the validator loads it without logging an error',
  },
];
