// Which scripts a run takes: --coh wins over config coh.scripts over the default;
// a given glob that matches nothing is a usage error, not a gate that ran nothing.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandGlob, scriptTitles, selectScripts } from '../../harness/coh/scripts.ts';
import { tempDir } from '../helpers/cli.ts';

function tree(): string {
  const d = tempDir('coh-scripts-');
  for (const f of ['a/one.coh', 'a/two.coh', 'a/notes.txt', 'b/deep/one.coh']) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), 'attach queen\n');
  }
  return d;
}

describe('script selection', () => {
  it('expands *, ** and plain paths, sorted', () => {
    const d = tree();
    expect(expandGlob('a/*.coh', d)).toEqual([join(d, 'a/one.coh'), join(d, 'a/two.coh')]);
    expect(expandGlob('**/one.coh', d)).toEqual([join(d, 'a/one.coh'), join(d, 'b/deep/one.coh')]);
    expect(expandGlob('a/two.coh', d)).toEqual([join(d, 'a/two.coh')]);
    expect(expandGlob('nowhere/*.coh', d)).toEqual([]);
  });

  it('--coh wins over config, config over the default', () => {
    const d = tree();
    const def = { pattern: join(d, 'b/**/*.coh'), source: 'default' };
    expect(
      selectScripts({ cliGlobs: ['a/one.coh'], configGlobs: ['a/two.coh'], defaultGlob: def, cwd: d }).files,
    ).toEqual([join(d, 'a/one.coh')]);
    expect(selectScripts({ configGlobs: ['a/two.coh'], defaultGlob: def, cwd: d }).files).toEqual([
      join(d, 'a/two.coh'),
    ]);
    expect(selectScripts({ defaultGlob: def, cwd: d }).files).toEqual([join(d, 'b/deep/one.coh')]);
  });

  it('a glob that matches nothing is a usage error naming it', () => {
    expect(() => selectScripts({ cliGlobs: ['x/*.coh'], cwd: tree() })).toThrow(
      /--coh x\/\*\.coh: matches no file/,
    );
  });

  it('titles are file names, with the folder when two share a name', () => {
    expect(scriptTitles(['/p/a/one.coh', '/p/b/one.coh', '/p/a/two.coh'])).toEqual([
      'a/one.coh',
      'b/one.coh',
      'two.coh',
    ]);
  });
});
