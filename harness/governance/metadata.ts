// METADATA.md: a Markdown table registering every file, with columns
// Filename | Version | Last Modified | Classification | BATCH_SIZE | BATCH_ORIGIN.
import type { Finding } from './findings.ts';

export interface MetadataRow {
  filename: string;
  version: string;
  lastModified: string;
  classification: string;
  batchSize: string;
  batchOrigin: string;
  line: number;
}

const COLUMNS = ['Filename', 'Version', 'Last Modified', 'Classification', 'BATCH_SIZE', 'BATCH_ORIGIN'];

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim().replace(/^`|`$/g, ''));
}

export function parseMetadata(file: string, text: string): { rows: MetadataRow[]; findings: Finding[] } {
  const lines = text.split('\n');
  const headerIdx = lines.findIndex((l) => l.trim().startsWith('|') && cells(l)[0] === 'Filename');
  if (headerIdx < 0) {
    return {
      rows: [],
      findings: [
        {
          file,
          line: 1,
          message: `no registration table (expected a header row "| ${COLUMNS.join(' | ')} |")`,
        },
      ],
    };
  }
  const head = cells(lines[headerIdx]!);
  const findings: Finding[] = [];
  if (COLUMNS.some((c, i) => head[i] !== c)) {
    findings.push({
      file,
      line: headerIdx + 1,
      message: `table columns are "${head.join(' | ')}"; expected "${COLUMNS.join(' | ')}"`,
    });
  }
  const rows: MetadataRow[] = [];
  for (let i = headerIdx + 2; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim().startsWith('|')) break;
    const c = cells(l);
    if (c.length < 6) {
      findings.push({ file, line: i + 1, message: `row has ${c.length} cells; expected 6` });
      continue;
    }
    rows.push({
      filename: c[0]!,
      version: c[1]!.replace(/^v/, ''),
      lastModified: c[2]!,
      classification: c[3]!,
      batchSize: c[4]!,
      batchOrigin: c[5]!,
      line: i + 1,
    });
  }
  return { rows, findings };
}

/** A row names a file by its path relative to the root, or by a basename unique in the tree. */
export function rowMatches(row: MetadataRow, relPath: string): boolean {
  return (
    row.filename === relPath || (!row.filename.includes('/') && relPath.split('/').pop() === row.filename)
  );
}
