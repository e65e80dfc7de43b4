// Business days for disclosure SLAs: Monday to Friday, UTC, no holiday calendar
// (docs/contract-decisions.md). An action on the day of the report counts as day 0.
const DAY = 86_400_000;

function utcDay(d: Date): number {
  return Math.floor(d.getTime() / DAY);
}

/** Weekdays strictly after `from`'s day up to and including `to`'s day. */
export function businessDaysBetween(from: Date, to: Date): number {
  let n = 0;
  for (let day = utcDay(from) + 1; day <= utcDay(to); day++) {
    const wd = new Date(day * DAY).getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

/** The end of the `n`th business day after `from` (the SLA deadline). */
export function addBusinessDays(from: Date, n: number): Date {
  let day = utcDay(from);
  let left = n;
  while (left > 0) {
    day++;
    const wd = new Date(day * DAY).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return new Date((day + 1) * DAY - 1);
}
