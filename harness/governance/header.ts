// The Cohesix file header: CLASSIFICATION, Filename <name> vX.Y, Author and
// Date Modified, in the comment style of the file's language.
import { basename, extname } from 'node:path';
import type { Finding } from './findings.ts';

/** Comment prefix by extension; files of other types carry no header (see docs/contract-decisions.md). */
export const HEADER_STYLES: Record<string, string> = {
  '.rs': '//',
  '.c': '//',
  '.h': '//',
  '.cc': '//',
  '.cpp': '//',
  '.go': '//',
  '.ts': '//',
  '.js': '//',
  '.mjs': '//',
  '.proto': '//',
  '.swift': '//',
  '.java': '//',
  '.sh': '#',
  '.py': '#',
  '.toml': '#',
  '.yaml': '#',
  '.yml': '#',
  '.tf': '#',
  '.mk': '#',
  '.cfg': '#',
};

export interface FileHeader {
  classification: 'COMMUNITY' | 'PRIVATE';
  filename: string;
  version: string;
  author: string;
  dateModified: string;
  /** line of each field, for findings */
  lines: Record<'classification' | 'filename' | 'author' | 'dateModified', number>;
}

export function needsHeader(file: string): boolean {
  return extname(file) in HEADER_STYLES || basename(file) === 'Makefile';
}

function commentPrefix(file: string): string {
  return basename(file) === 'Makefile' ? '#' : (HEADER_STYLES[extname(file)] ?? '//');
}

const HEADER_LINES = 12;

/** Parse a header; returns the header or the findings that explain why there is none. */
export function parseHeader(file: string, text: string): { header?: FileHeader; findings: Finding[] } {
  const prefix = commentPrefix(file);
  const lines = text.split('\n').slice(0, HEADER_LINES);
  const fields = new Map<string, { value: string; line: number }>();
  const findings: Finding[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    const m = /^(\/\/|#)\s*(CLASSIFICATION|Filename|Author|Date Modified)\s*:\s*(.*)$/.exec(line);
    if (!m) return;
    if (m[1] !== prefix) {
      findings.push({
        file,
        line: i + 1,
        message: `header uses "${m[1]}" comments; ${extname(file) || basename(file)} files use "${prefix}"`,
      });
    }
    if (!fields.has(m[2]!)) fields.set(m[2]!, { value: m[3]!.trim(), line: i + 1 });
  });
  const missing = ['CLASSIFICATION', 'Filename', 'Author', 'Date Modified'].filter((f) => !fields.has(f));
  if (missing.length === 4) {
    return {
      findings: [
        {
          file,
          line: 1,
          message: `no header (expected "${prefix} CLASSIFICATION: COMMUNITY", "${prefix} Filename: ${basename(file)} vX.Y", Author, Date Modified in the first ${HEADER_LINES} lines)`,
        },
      ],
    };
  }
  for (const f of missing) findings.push({ file, line: 1, message: `header lacks "${f}:"` });
  const cls = fields.get('CLASSIFICATION');
  if (cls && cls.value !== 'COMMUNITY' && cls.value !== 'PRIVATE') {
    findings.push({
      file,
      line: cls.line,
      message: `CLASSIFICATION is "${cls.value}"; expected COMMUNITY or PRIVATE`,
    });
  }
  const fn = fields.get('Filename');
  let filename = '';
  let version = '';
  if (fn) {
    const m = /^(\S+)\s+v(\d+\.\d+)$/.exec(fn.value);
    if (!m)
      findings.push({ file, line: fn.line, message: `Filename is "${fn.value}"; expected "<name> vX.Y"` });
    else {
      [filename, version] = [m[1]!, m[2]!];
      if (filename !== basename(file)) {
        findings.push({
          file,
          line: fn.line,
          message: `Filename names "${filename}" but the file is "${basename(file)}"`,
        });
      }
    }
  }
  const author = fields.get('Author');
  if (author && !author.value) findings.push({ file, line: author.line, message: 'Author is empty' });
  const date = fields.get('Date Modified');
  if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date.value)) {
    findings.push({
      file,
      line: date.line,
      message: `Date Modified is "${date.value}"; expected YYYY-MM-DD`,
    });
  }
  if (findings.length > 0 || !cls || !fn || !author || !date) return { findings };
  return {
    findings,
    header: {
      classification: cls.value as FileHeader['classification'],
      filename,
      version,
      author: author.value,
      dateModified: date.value,
      lines: { classification: cls.line, filename: fn.line, author: author.line, dateModified: date.line },
    },
  };
}
