// /proc/boot as read through the console, judged by the lines a release
// streams. A CAT ack's `data=` is only a summary (a `|`-joined selection of the
// lines, cut short: cohsh-console.md); the streamed lines are the content. So
// the streamed key=value lines are judged when there are any, else the
// summary (its last part dropped: it may be cut mid-value), and the result
// says which was used.
import { validate } from '../schemas/registry.ts';

export interface ProcBoot {
  /** key=value lines as an object (a key seen twice: the later line wins) */
  fields: Record<string, string>;
  /** lines that are not key=value (e.g. "Cohesix boot: root-task online") */
  other: string[];
  source: 'streamed lines' | 'CAT summary' | 'nothing';
  /** schema problems, one a line, naming the key */
  problems: string[];
}

const KEY_VALUE = /^([A-Za-z0-9_.-]+)=(.*)$/;

/** a `|`-joined summary: every part is key=value */
function summaryParts(line: string): string[] | undefined {
  if (!line.includes('|')) return undefined;
  const parts = line.split('|');
  return parts.every((p) => p === '' || KEY_VALUE.test(p)) ? parts.filter(Boolean) : undefined;
}

export function parseProcBoot(lines: readonly string[]): ProcBoot {
  const streamed: Record<string, string> = {};
  const summary: Record<string, string> = {};
  const other: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const parts = summaryParts(line);
    if (parts) {
      for (const p of parts.slice(0, -1)) {
        const m = KEY_VALUE.exec(p)!;
        summary[m[1]!] = m[2]!;
      }
      continue;
    }
    const m = KEY_VALUE.exec(line);
    if (m) streamed[m[1]!] = m[2]!.trim();
    else if (line) other.push(line);
  }
  const useStreamed = Object.keys(streamed).length > 0;
  const fields = useStreamed ? streamed : summary;
  const source = useStreamed ? 'streamed lines' : Object.keys(summary).length ? 'CAT summary' : 'nothing';
  const problems = validate('release-proc-boot', fields).map(
    (i) => `${i.path}: expected ${i.expected}, found ${i.actual}`,
  );
  return { fields, other, source, problems };
}
