// A governance finding names the file and line, so a CI annotation can point at it.
export interface Finding {
  /** path relative to the tree root */
  file: string;
  line?: number;
  message: string;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`).join('\n');
}
