// The GUI's defect modes: each reproduces a known upstream gap, and exactly one case
// of suites/gui must fail when it is in force.
import type { DefectSpec } from '../defect-spec.ts';
import type { GuiDefectName } from './defect-names.ts';

const spec = (name: GuiDefectName, caseTitle: string, summary: string): DefectSpec => ({
  name,
  suite: 'gui',
  caseTitle,
  summary,
});

const AUTH_CASE = 'auth > every API route answers 401 without credentials or with wrong ones';

export const guiDefects: DefectSpec[] = [
  spec(
    'gui-static-status',
    'live view > /api/status follows GetClusterState: a worker joined over gRPC appears, then drops out on timeout',
    '/api/status serves a hard-coded payload (workers: 3) instead of GetClusterState',
  ),
  spec(
    'gui-noop-control',
    'control > a change made through /api/control or the dashboard UI is what GetClusterState returns',
    '/api/control acknowledges known commands without calling the control plane',
  ),
  spec('gui-no-auth', AUTH_CASE, 'no API route asks for credentials'),
  spec(
    'gui-auth-control-only',
    AUTH_CASE,
    'only /api/control asks for credentials; /api/status and /api/metrics are open',
  ),
  spec(
    'gui-global-rate-limit',
    'rate limit > the 61st request in a minute from one client gets 429 while a second client is served',
    'one token bucket is shared by all clients, so one noisy client locks everyone out',
  ),
  spec(
    'gui-metrics-json',
    'metrics > /api/metrics is Prometheus text with health, trust and GPU-load series per worker',
    '/api/metrics answers JSON instead of Prometheus text',
  ),
  spec(
    'gui-access-log-path',
    'rate limit > a refused request leaves a rate-limit alert line in /log/gui_access.log',
    'the access log (and its rate-limit alerts) is written to var/log/gui/access.log instead of /log/gui_access.log',
  ),
];
