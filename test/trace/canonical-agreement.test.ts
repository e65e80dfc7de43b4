// The harness's canonical JSON (its expected Merkle leaves and diffs) and the
// reference queens' canonical form are written apart on purpose (#16); these
// known vectors show the day they drift, on the harness's side or the reference's.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../harness/trace/canonical.ts';
import { canonicalForm } from '../../reference/queens/canonical-form.ts';

const sparse: unknown[] = [1];
sparse[2] = 2;

const VECTORS: Array<[string, unknown, string]> = [
  [
    'a trace event, keys out of order',
    { ts: 7, ok: true, agent: 'q', event: 'spawn', detail: '' },
    '{"agent":"q","detail":"","event":"spawn","ok":true,"ts":7}',
  ],
  [
    'nested objects and arrays',
    { b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } },
    '{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}',
  ],
  ['integer-like keys sort as text, not as numbers', { 10: 'x', 9: 'y', a: 0 }, '{"10":"x","9":"y","a":0}'],
  [
    'undefined members dropped, undefined elements null',
    { a: undefined, b: [undefined, 1] },
    '{"b":[null,1]}',
  ],
  [
    'non-ASCII and escapes',
    { é: 'line\nbreak "q"', Z: '\u2028' },
    '{"Z":"\u2028","é":"line\\nbreak \\"q\\""}',
  ],
  [
    'keys in UTF-16 code-unit order (upper before lower, a surrogate pair before U+FF21)',
    { b: 1, B: 2, '\u{1F600}': 3, '\uFF21': 4 },
    '{"B":2,"b":1,"\u{1F600}":3,"\uFF21":4}',
  ],
  ['non-finite numbers', [NaN, Infinity, -0, 1e21], '[null,null,0,1e+21]'],
  ['holes in an array are null', sparse, '[1,null,2]'],
  ['scalars and empties', [null, true, 'x', [], {}], '[null,true,"x",[],{}]'],
];

describe('canonical JSON: harness and reference agree', () => {
  it.each(VECTORS)('%s', (_name, value, expected) => {
    expect(canonicalJson(value), 'the harness canonical JSON').toBe(expected);
    expect(canonicalForm(value), 'the reference queens canonical form').toBe(expected);
  });
});
