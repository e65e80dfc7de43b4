// N cold boots of whatever the plan describes: a QEMU launch or a lab board.
// A lab board is left booted after the last run (the shared console expects a
// running board) and its serial port is freed after every run.
import { LabBoard } from '../lab/board.ts';
import { bootReport, coldBoots, type BootReport, type ColdBootRun } from './cold-boot.ts';
import { compileFaultPatterns } from './faults.ts';
import { refusalToBoot, timelineConfigOf, type BootPlan } from './shared-boot.ts';
import { ProductError } from '../errors.ts';

export async function coldBootsFor(
  plan: BootPlan,
  signal?: AbortSignal,
): Promise<{ report: BootReport; runs: ColdBootRun[] }> {
  const refused = refusalToBoot(plan);
  if (refused) throw new ProductError(refused);
  const timeline = timelineConfigOf(plan);
  const faultPatterns = compileFaultPatterns(plan.faultPatterns);
  if (plan.qemu) {
    return coldBoots(plan.bootRuns, {
      launch: plan.qemu,
      stateRoot: plan.stateRoot,
      timeline,
      timeoutMs: plan.timeoutMs,
      faultPatterns,
      statistic: plan.statistic,
      signal,
      label: 'cold-boot',
    });
  }
  if (!plan.lab) throw new Error('boot plan has neither a qemu launch nor a lab board');
  const board = new LabBoard(plan.lab);
  const runs: ColdBootRun[] = [];
  try {
    for (let i = 0; i < plan.bootRuns && !signal?.aborted; i++) {
      const r = await board.coldBoot({ timeline, timeoutMs: plan.timeoutMs, faultPatterns });
      board.disconnectSerial();
      runs.push(r);
      if (r.error) break;
    }
  } finally {
    board.disconnectSerial();
  }
  const report = bootReport(runs, {
    launch: { profile: 'generic', binary: `lab:${plan.lab.name}` },
    timeline,
    timeoutMs: plan.timeoutMs,
    statistic: plan.statistic,
  });
  report.qemu.profile = 'lab';
  return { report, runs };
}
