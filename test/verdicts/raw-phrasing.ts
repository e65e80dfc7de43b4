// Raw assertion phrasing: the text chai and the runtime put in a failure when a
// check was written as a bare `expect(x).toBe(y)` or crashed. A report must say
// what was expected and seen in the domain's words instead, so these patterns
// fail the defect matrix. Chai's phrasing is value first ("expected <inspected
// value> [not] to …"); a sentence such as "expected 3 signatures, saw 2" or
// "expected the queens to agree" is not matched.
import type { RunResults } from '../../harness/results/model.ts';
import { problemsOfError } from '../../harness/results/problem.ts';

// how chai/loupe prints a value: literals, quoted strings, arrays, objects, class-named values, regexes
const VALUE = String.raw`(?:null|undefined|true|false|NaN|[+-]?Infinity|[+-]?\d[\d_.e+-]*n?|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\[[^\n]*?\]|\{[^\n]*?\}|[A-Z][\w$]*(?:\s*[{[(][^\n]*?[}\])]|:[^\n]*?)|\/(?:[^/\\\n]|\\.)+\/[a-z]*)`;

export const RAW_PHRASINGS: ReadonlyArray<{ name: string; re: RegExp }> = [
  { name: 'chai value-first assertion', re: new RegExp(String.raw`\bexpected ${VALUE} (?:not )?to [a-z]`) },
  { name: 'deep-equality diff', re: /\bto deeply equal\b/ },
  { name: 'an index not found', re: /\bexpected -1\b/ },
  { name: 'a TypeError', re: /\bTypeError\b/ },
  { name: 'a property read on nothing', re: /Cannot read propert(?:y|ies)/ },
  { name: 'a call or loop on nothing', re: /\bis not (?:a function|iterable|defined)\b/ },
  { name: 'a promise that should have rejected', re: /promise resolved .* instead of rejecting/ },
];

/** The raw phrasings in one text (empty when it reads as sentences). */
export function rawPhrasingIn(text: string): string[] {
  return RAW_PHRASINGS.filter((p) => p.re.test(text)).map((p) => p.name);
}

/**
 * Every failure text of the cases of `suite` that reads as raw assertion phrasing:
 * "<case>: <pattern>: <the line>", for a test to print.
 */
export function rawPhrasings(results: RunResults, suite: string): string[] {
  const out: string[] = [];
  for (const c of results.cases) {
    if (c.suite !== suite || !c.error) continue;
    const texts = [
      c.error.message,
      ...problemsOfError(c.error).flatMap((p) => [p.message, p.expected ?? '', p.found ?? '']),
    ];
    for (const t of texts)
      for (const line of t.split('\n'))
        for (const name of rawPhrasingIn(line))
          out.push(`${c.fullTitle}: ${name}: ${line.trim().slice(0, 200)}`);
  }
  return [...new Set(out)];
}
