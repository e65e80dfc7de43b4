// The contract's fault lines: any of these fails a boot even when the boot
// marker appears. Configurable: a target may add its own or replace the list.
export const DEFAULT_FAULT_PATTERNS: readonly RegExp[] = [
  /data abort/i,
  /prefetch abort/i,
  /MMU fault/i,
  /Failed to copy cap/,
  /Caught cap fault/,
  /unknown syscall/,
  /user exception/,
];

export interface FaultHit {
  lineIndex: number;
  pattern: string;
  text: string;
}

/** strings from config become case-insensitive regexes; /x/flags keeps its flags */
export function compileFaultPatterns(specs: readonly string[] | undefined): RegExp[] {
  if (!specs) return [...DEFAULT_FAULT_PATTERNS];
  return specs.map((s) => {
    const m = /^\/(.+)\/([a-z]*)$/.exec(s);
    return m ? new RegExp(m[1]!, m[2]) : new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  });
}

export function scanFaults(
  lines: readonly { index: number; text: string }[],
  patterns: readonly RegExp[] = DEFAULT_FAULT_PATTERNS,
): FaultHit[] {
  const hits: FaultHit[] = [];
  for (const l of lines) {
    for (const p of patterns) {
      if (p.test(l.text)) {
        hits.push({ lineIndex: l.index, pattern: String(p), text: l.text });
        break;
      }
    }
  }
  return hits;
}
