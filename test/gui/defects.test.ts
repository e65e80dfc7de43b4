// Each GUI defect names a case that exists in suites/gui, in the suite's area, and
// every defect the GUI server knows is declared (and vice versa).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { guiDefects } from '../../reference/gui/defects.ts';
import { GUI_DEFECT_NAMES } from '../../reference/gui/defect-names.ts';

const suite = readFileSync(new URL('../../suites/gui/gui.test.ts', import.meta.url), 'utf8');
const quoted = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('GUI defect specs', () => {
  it('cover exactly the defect modes the server implements', () => {
    expect(guiDefects.map((d) => d.name).sort()).toEqual([...GUI_DEFECT_NAMES].sort());
  });

  it.each(guiDefects.map((d) => [d.name, d] as const))('%s names a case of suites/gui', (_name, d) => {
    expect(d.suite).toBe('gui');
    const [group, title] = d.caseTitle.split(' > ');
    expect(suite).toMatch(new RegExp(`describe\\(\\s*${literal(quoted(group!))}`));
    expect(suite).toMatch(new RegExp(`test(\\.concurrent)?\\(\\s*${literal(quoted(title!))}`));
  });
});
