// A strict reader of the Prometheus text exposition format (version 0.0.4): every
// line is a HELP/TYPE comment, another comment, blank, or a sample
// `name{label="value",...} value [timestamp]`. Anything else is reported with its
// line number, so "is this Prometheus text?" has a precise answer.
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  line: number;
}

export interface PromParseResult {
  samples: PromSample[];
  types: Record<string, string>;
  errors: Array<{ line: number; text: string; reason: string }>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(s: string): number | undefined {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Parse `{a="x",b="y\"z"}` starting at text[0] === '{'; returns labels and the rest. */
function parseLabels(text: string): { labels: Record<string, string>; rest: string } | string {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!m) return `bad label name at column ${i + 1}`;
    const name = m[0];
    i += name.length;
    if (text[i] !== '=' || text[i + 1] !== '"') return `label ${name} must be followed by ="`;
    i += 2;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return `unterminated value of label ${name}`;
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 'n') value += '\n';
        else if (n === '\\' || n === '"') value += n;
        else return `bad escape \\${n ?? ''} in label ${name}`;
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        break;
      }
      value += c;
      i++;
    }
    if (!LABEL_NAME.test(name)) return `bad label name ${name}`;
    if (name in labels) return `label ${name} given twice`;
    labels[name] = value;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') return `expected , or } after label ${name}`;
  }
}

export function parsePrometheusText(text: string): PromParseResult {
  const result: PromParseResult = { samples: [], types: {}, errors: [] };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const fail = (reason: string) => result.errors.push({ line, text: raw.slice(0, 200), reason });
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(raw);
      if (!m) return; // free comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string | undefined];
      if (!METRIC_NAME.test(name)) return fail(`bad metric name in ${kind}: ${name}`);
      if (kind === 'TYPE') {
        if (!rest || !TYPES.has(rest.trim()))
          return fail(`TYPE of ${name} must be one of ${[...TYPES].join(', ')}`);
        if (result.types[name]) return fail(`second TYPE line for ${name}`);
        result.types[name] = rest.trim();
      }
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
    if (!nameMatch) return fail('line is neither a comment nor a sample');
    const name = nameMatch[0];
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest);
      if (typeof parsed === 'string') return fail(parsed);
      labels = parsed.labels;
      rest = parsed.rest;
    }
    const fields = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2 || fields[0] === '')
      return fail('expected "<value> [timestamp]" after the metric name');
    const value = parseValue(fields[0]!);
    if (value === undefined) return fail(`value ${fields[0]} is not a float`);
    if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1]))
      return fail(`timestamp ${fields[1]} is not an integer`);
    result.samples.push({ name, labels, value, line });
  });
  return result;
}
