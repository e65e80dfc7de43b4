// Independent checks of rendered reports: JUnit against the Ant JUnit XSD (libxml2
// compiled to wasm), TAP through tap-parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { Parser } from 'tap-parser';
import { PROJECT_ROOT } from '../../harness/paths.ts';

export async function junitErrors(xml: string): Promise<string[]> {
  const schema = readFileSync(join(PROJECT_ROOT, 'test/fixtures/junit.xsd'), 'utf8');
  const r = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: schema }],
  });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

export interface TapCounts {
  ok: boolean;
  count: number;
  pass: number;
  fail: number;
  skip: number;
}

export function parseTap(tap: string): Promise<TapCounts> {
  return new Promise((resolve) => {
    const p = new Parser((results) =>
      resolve({
        ok: results.ok,
        count: results.count,
        pass: results.pass,
        fail: results.fail,
        skip: results.skip,
      }),
    );
    p.end(tap);
  });
}
