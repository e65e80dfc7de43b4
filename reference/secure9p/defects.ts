// Defect modes of the reference Secure9P server, each reproducing an upstream
// gap and each caught by exactly one case of suites/secure9p.
import type { DefectSpec } from '../defect-spec.ts';

export const secure9pDefects: DefectSpec[] = [
  {
    name: 'secure9p-no-mtls',
    suite: 'secure9p',
    caseTitle: 'mutual TLS > a client without a certificate is refused',
    summary:
      'The Secure9P listener accepts clients that present no certificate and trusts the Tattach uname.',
  },
  {
    name: 'secure9p-unlogged-denial',
    suite: 'secure9p',
    caseTitle: 'audit > every denial is in the Secure9P log with the actor identity',
    summary: 'Denied operations are refused but never written to /log/net_trace_secure9p.log.',
  },
  {
    name: 'secure9p-no-trace-id',
    suite: 'secure9p',
    caseTitle: 'audit > every denial carries a trace ID',
    summary: 'Capability errors reach the client without the trace ID that ties them to the log.',
  },
  {
    name: 'secure9p-traversal',
    suite: 'secure9p',
    caseTitle: "namespace confinement > '..' never leaves an agent's root",
    summary: "Walking '..' at an agent's root climbs into the server's tree (other agents' roots).",
  },
  {
    name: 'secure9p-policy-ignored',
    suite: 'secure9p',
    caseTitle: 'capability policy > forbidden writes are denied for every example role',
    summary:
      'Write rules are not enforced: writes the policy forbids (e.g. under /proc, or to a read-only rule) succeed.',
  },
];
