// Defect modes of the reference release bundle and console. Each reproduces
// a gap seen in releases and must fail exactly the case named here.
import type { DefectSpec } from '../defect-spec.ts';
import type { ConsoleDefects } from './console-server.ts';

export const RELEASE_CASES = {
  manifest:
    'release: bundle > every manifest entry matches its file in the CPIO archive, and image/rootserver is the archived root task',
  boot: 'release: boot > boots to the console within the platform budget, milestones in order, no fault lines',
  authOk: 'release: console > AUTH with the right token is accepted',
  authWrong: 'release: console > AUTH with a wrong token is refused (documented reply or closed connection)',
  oversize: 'release: console > an oversized frame is answered ERR FRAME and the session stays open',
  queen: 'release: console > ATTACH queen works and PING answers PONG',
  procBoot:
    "release: console > CAT /proc/boot is a release boot summary (schema-checked) whose manifest.sha256 the bundle's policy files carry",
  worker: 'release: console > a heartbeat worker sees only /proc/boot, its own telemetry and /log/queen.log',
  cooldown:
    'release: console > repeated AUTH failures start the cooldown: connections are refused or answered RateLimited',
} as const;

/**
 * The console defects the project's `.coh` pack catches: the coh suite titles
 * each case by its script's file name (agreed in proc-tests/DEFECTS.md).
 */
export const COH_CASES = {
  catSummary: 'coh > cat-summary.coh',
  lifecycleInvalid: 'coh > lifecycle-invalid.coh',
  sessionRearm: 'coh > session-rearm.coh',
} as const;

export const releaseDefects: DefectSpec[] = [
  {
    name: 'release-wrong-gic',
    suite: 'release',
    caseTitle: RELEASE_CASES.boot,
    summary:
      'gic-version.txt says 3 but the kernel was built for GICv2: the boot dies with KERNEL DATA ABORT!',
  },
  {
    name: 'release-manifest-mismatch',
    suite: 'release',
    caseTitle: RELEASE_CASES.manifest,
    summary:
      'one byte of the archived root task was changed after manifest.json was written (same size, different sha256)',
  },
  {
    name: 'console-no-cooldown',
    suite: 'release',
    caseTitle: RELEASE_CASES.cooldown,
    summary: 'the console never enters the cooldown after repeated AUTH failures',
  },
  {
    name: 'console-oversize-closes',
    suite: 'release',
    caseTitle: RELEASE_CASES.oversize,
    summary: 'an oversized frame kills the session instead of being answered ERR FRAME',
  },
  {
    name: 'console-worker-sees-queen',
    suite: 'release',
    caseTitle: RELEASE_CASES.worker,
    summary: "a heartbeat worker can read /queen/ctl and other workers' telemetry",
  },
  {
    name: 'console-cat-summary',
    suite: 'coh',
    caseTitle: COH_CASES.catSummary,
    summary:
      "the CAT ack's data= summary holds only the file's first line instead of its lines joined with |",
  },
  {
    name: 'console-lifecycle-accepts-invalid',
    suite: 'coh',
    caseTitle: COH_CASES.lifecycleInvalid,
    summary:
      'an invalid lifecycle transition written to /queen/lifecycle/ctl is acknowledged OK instead of refused',
  },
  {
    name: 'console-stuck-after-session',
    suite: 'coh',
    caseTitle: COH_CASES.sessionRearm,
    summary:
      "after a session dropped without quit the console does not re-arm: new connections are reset past any client's retry bound",
  },
  {
    name: 'release-policy-hash-drift',
    suite: 'release',
    caseTitle: RELEASE_CASES.procBoot,
    summary:
      'out/cohsh_policy.toml carries another root-task manifest hash than the one /proc/boot prints as manifest.sha256',
  },
];

/** the console's defect switches for the defects in force (shared by the release and coh services) */
export function consoleDefectsFor(defects: ReadonlySet<string>): ConsoleDefects {
  return {
    noCooldown: defects.has('console-no-cooldown'),
    oversizeCloses: defects.has('console-oversize-closes'),
    workerSeesAll: defects.has('console-worker-sees-queen'),
    catSummaryFirstLine: defects.has('console-cat-summary'),
    lifecycleAcceptsInvalid: defects.has('console-lifecycle-accepts-invalid'),
    stuckAfterSession: defects.has('console-stuck-after-session'),
  };
}
