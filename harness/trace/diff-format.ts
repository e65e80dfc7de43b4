// Renderings of a trace diff: text for people, JSON for tools, and annotation
// records (file, line, severity, title, message) that CI reporters turn into
// inline annotations. Each writer streams: one record in, some text out.
import type { DiffRecord, DiffSummary, Position } from './diff.ts';
import { canonicalJson } from './canonical.ts';

export type DiffFormat = 'text' | 'json' | 'annotations';

export interface DiffAnnotation {
  /** snapshot label and file, e.g. "dir:/snap/b/live.log" */
  file: string;
  line: number;
  severity: 'error';
  title: string;
  message: string;
}

function show(v: unknown): string {
  const s = v === undefined ? '(absent)' : canonicalJson(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

function at(p: Position): string {
  return `${p.file}:${p.line}`;
}

function keyText(r: DiffRecord): string {
  return `${canonicalJson(r.key)}${r.occurrence > 1 ? ` #${r.occurrence}` : ''}`;
}

export function describeRecord(r: DiffRecord): string {
  switch (r.kind) {
    case 'added':
      return `+ added    ${at(r.b)}  ${show(r.event)}`;
    case 'removed':
      return `- removed  ${at(r.a)}  ${show(r.event)}`;
    case 'changed':
      return `~ changed  ${at(r.a)} -> ${at(r.b)}  key ${keyText(r)}: ${r.changes
        .map((c) => `${c.field}: ${show(c.a)} -> ${show(c.b)}`)
        .join('; ')}`;
  }
}

export function describeSummary(s: DiffSummary): string {
  return (
    `${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged ` +
    `(a: ${s.eventsA} events, b: ${s.eventsB} events` +
    (s.invalidA + s.invalidB > 0 ? `; unparseable lines a: ${s.invalidA}, b: ${s.invalidB}` : '') +
    `; ${s.elapsedMs} ms)`
  );
}

export function toAnnotation(r: DiffRecord, labelA: string, labelB: string): DiffAnnotation {
  const pos = r.kind === 'removed' ? { ...r.a, label: labelA } : { ...r.b, label: labelB };
  const title = `trace diff: event ${r.kind}`;
  return {
    file: `${pos.label}/${pos.file}`,
    line: pos.line,
    severity: 'error',
    title,
    message: describeRecord(r),
  };
}

/** A streaming writer for one format: `record` for each deviation, then `end` with the summary. */
export interface DiffWriter {
  record(r: DiffRecord): void;
  end(s: DiffSummary): void;
}

export function diffWriter(
  format: DiffFormat,
  write: (s: string) => void,
  labelA: string,
  labelB: string,
): DiffWriter {
  if (format === 'text') {
    return {
      record: (r) => write(`${describeRecord(r)}\n`),
      end: (s) => write(`trace diff ${labelA} .. ${labelB}: ${describeSummary(s)}\n`),
    };
  }
  if (format === 'annotations') {
    return {
      record: (r) => write(`${JSON.stringify(toAnnotation(r, labelA, labelB))}\n`),
      end: () => undefined,
    };
  }
  let first = true;
  write(`{"a":${JSON.stringify(labelA)},"b":${JSON.stringify(labelB)},"records":[`);
  return {
    record: (r) => {
      write(`${first ? '\n' : ',\n'}${JSON.stringify(r)}`);
      first = false;
    },
    end: (s) => write(`${first ? '' : '\n'}],"summary":${JSON.stringify(s)}}\n`),
  };
}
