// Placeholder code: todo!(), unimplemented!(), and TODO / FIXME markers in code.
import type { Finding } from './findings.ts';

const PATTERNS: Array<{ re: RegExp; what: string }> = [
  { re: /\btodo!\s*\(/, what: 'todo!()' },
  { re: /\bunimplemented!\s*\(/, what: 'unimplemented!()' },
  { re: /(\/\/|#|\/\*|\*)\s*(TODO|FIXME)\b/, what: 'TODO/FIXME marker' },
];

export function findPlaceholders(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const p of PATTERNS) {
      if (p.re.test(line))
        findings.push({ file, line: i + 1, message: `placeholder ${p.what}: ${line.trim().slice(0, 80)}` });
    }
  });
  return findings;
}
