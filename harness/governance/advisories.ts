// Security disclosure SLAs from the contract: acknowledge within 48 h; respond and
// resolve within business-day windows by priority; mean times to acknowledge and to
// remediate under their goals. Open advisories are judged at `asOf`.
import { businessDaysBetween, addBusinessDays } from './business-days.ts';
import type { Finding } from './findings.ts';

export interface Advisory {
  id: string;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  title: string;
  reported: string;
  acknowledged?: string;
  firstResponse?: string;
  resolved?: string;
}

export const SLA = {
  ackHours: 48,
  P1: { respond: 1, resolve: 7 },
  P2: { respond: 2, resolve: 14 },
  P3: { respond: 5, resolve: 30 },
  P4: { respond: 10, resolve: 60 },
} as const;

export const GOALS = { mttaHours: 48, mttrDays: 14 } as const;

/** The line of an advisory's id in the file, so findings point at it. */
export function lineOf(text: string, id: string): number | undefined {
  const i = text.split('\n').findIndex((l) => l.includes(`"${id}"`));
  return i >= 0 ? i + 1 : undefined;
}

export function slaBreaches(file: string, text: string, list: Advisory[], asOf: Date): Finding[] {
  const findings: Finding[] = [];
  for (const a of list) {
    const line = lineOf(text, a.id);
    const reported = new Date(a.reported);
    const sla = SLA[a.priority];
    const ackBy = new Date(reported.getTime() + SLA.ackHours * 3_600_000);
    const ack = a.acknowledged ? new Date(a.acknowledged) : undefined;
    if (ack ? ack > ackBy : asOf > ackBy) {
      findings.push({
        file,
        line,
        message: `${a.id} (${a.priority}) ${ack ? `acknowledged after ${((ack.getTime() - reported.getTime()) / 3_600_000).toFixed(1)} h` : 'not acknowledged'}; SLA ${SLA.ackHours} h`,
      });
    }
    const checkStep = (step: 'respond' | 'resolve', at: string | undefined) => {
      const days = sla[step];
      const deadline = addBusinessDays(reported, days);
      if (at) {
        const took = businessDaysBetween(reported, new Date(at));
        if (took > days)
          findings.push({
            file,
            line,
            message: `${a.id} (${a.priority}) ${step === 'respond' ? 'first response' : 'resolved'} after ${took} business days; SLA ${days}`,
          });
      } else if (asOf > deadline) {
        findings.push({
          file,
          line,
          message: `${a.id} (${a.priority}) still not ${step === 'respond' ? 'responded to' : 'resolved'} ${businessDaysBetween(reported, asOf)} business days after report; SLA ${days}`,
        });
      }
    };
    checkStep('respond', a.firstResponse);
    checkStep('resolve', a.resolved);
  }
  return findings;
}

export interface MeanTimes {
  mttaHours: number;
  mttrDays: number;
  acknowledged: number;
  resolved: number;
}

export function meanTimes(list: Advisory[]): MeanTimes {
  const acks = list
    .filter((a) => a.acknowledged)
    .map((a) => (Date.parse(a.acknowledged!) - Date.parse(a.reported)) / 3_600_000);
  const fixes = list
    .filter((a) => a.resolved)
    .map((a) => (Date.parse(a.resolved!) - Date.parse(a.reported)) / 86_400_000);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  return { mttaHours: mean(acks), mttrDays: mean(fixes), acknowledged: acks.length, resolved: fixes.length };
}
