// Defect modes of the reference federation, each reproducing an upstream gap and each
// caught by exactly one case of suites/federation/.
import type { DefectSpec } from '../defect-spec.ts';

export const federationDefects: DefectSpec[] = [
  {
    name: 'federation-order-dependent',
    knob: 'policy resolution order',
    suite: 'federation',
    caseTitle:
      'federation policy > timestamp ties resolve by the chain order, not by the order peers are read in',
    summary:
      'Queens take overrides in the order peers are read and let the last one read win a timestamp tie.',
  },
  {
    name: 'federation-time-beats-admin',
    knob: 'policy resolution order',
    suite: 'federation',
    caseTitle: 'federation policy > explicit administrator rules beat newer overrides on every queen',
    summary: 'Administrator rules are laid down first, so any timestamped override replaces them.',
  },
  {
    name: 'uploader-deletes-before-upload',
    suite: 'federation',
    caseTitle: 'trace uploader > an upload failure keeps the file for the next round',
    summary: 'The uploader removes each alert file before uploading it, so a failed upload loses the alert.',
  },
  {
    name: 'manifest-unprivileged-qemu',
    suite: 'federation',
    caseTitle: 'deployment manifests > the DaemonSet runs QEMU privileged with the contract command line',
    summary: 'The shipped DaemonSet runs the QEMU container without privileged: true.',
  },
];
