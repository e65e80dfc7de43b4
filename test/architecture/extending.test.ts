// The proof of docs/extending.md: in a temporary copy of the project, add the toy
// reporter and the toy area (test/fixtures/extending/) the way the doc says, count
// the edits with git, check the doc states exactly those counts, and run the toy
// suite through the CLI with the toy reporter against the reference target, with and
// without the toy defect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { tempDir } from '../helpers/cli.ts';
import type { RunResults } from '../../harness/results/model.ts';

const EXAMPLE = join(PROJECT_ROOT, 'test', 'fixtures', 'extending');

/** the one line each registry takes, inserted before the line that closes its list */
const REGISTRATIONS = [
  {
    file: 'reporters/index.ts',
    before: '} as const satisfies',
    line: "  toy: (await import('./toy.ts')).toyReporter,",
  },
  { file: 'harness/areas/index.ts', before: '] as const;', line: "  (await import('./toy.ts')).toyArea," },
  { file: 'reference/areas.ts', before: '];', line: "  (await import('./toy/manifest.ts')).toyArea," },
];

let copy: string;

async function run(file: string, args: string[], timeoutMs = 240_000) {
  const r = await runCommand(file, args, {
    cwd: copy,
    timeoutMs,
    env: { GITHUB_ACTIONS: '', COHESIX_QA_SUITES_DIR: undefined, COHESIX_QA_REQUIRE: undefined },
  });
  if (r.spawnError || r.timedOut)
    throw new Error(
      `${file} ${args.join(' ')} did not finish: ${r.spawnError ?? `no exit within ${timeoutMs} ms`}`,
    );
  return r;
}
const git = (...args: string[]) =>
  run('git', ['-c', 'user.name=qa', '-c', 'user.email=qa@example.invalid', ...args], 60_000);
const cli = (...args: string[]) => run(process.execPath, ['bin/cohesix-qa.js', ...args]);
/** `run --suite toy --reporter toy` into `out` */
const toyRun = (out: string, ...more: string[]) =>
  cli('run', '--suite', 'toy', '--reporter', 'toy', '--history', 'off', '--out', out, ...more);

/** the example's files, as repository paths */
const exampleFiles = (): string[] =>
  readdirSync(EXAMPLE, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'README.md')
    .map((e) => join(e.parentPath, e.name).slice(EXAMPLE.length + 1));

/** what git sees changed since the base commit: new files, and lines added/removed per existing file */
async function edits(): Promise<{ added: string[]; changed: Record<string, string> }> {
  await git('add', '-A');
  const status = (await git('diff', '--cached', '--name-status')).stdout.trim().split('\n');
  const numstat = (await git('diff', '--cached', '--numstat', '--diff-filter=M')).stdout.trim().split('\n');
  const changed: Record<string, string> = {};
  for (const l of numstat.filter(Boolean)) {
    const [plus, minus, file] = l.split('\t');
    changed[file!] = `+${plus} -${minus}`;
  }
  const added = status.filter((l) => l.startsWith('A\t')).map((l) => l.slice(2));
  return { added: added.sort(), changed };
}

/** the docs' "At a glance" row for `what`: its cells after the first */
function docRow(what: string): string[] {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'extending.md'), 'utf8');
  const row = doc.split('\n').find((l) => l.startsWith(`| ${what} |`));
  if (!row) throw new Error(`docs/extending.md has no "| ${what} |" row in its table of edits`);
  return row
    .split('|')
    .slice(2, -1)
    .map((c) => c.trim());
}

beforeAll(async () => {
  copy = tempDir('cqa-extending-');
  const files = (
    await runCommand('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: PROJECT_ROOT,
      timeoutMs: 30_000,
    })
  ).stdout
    .split('\0')
    .filter((f) => f && !f.startsWith('test/'));
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(PROJECT_ROOT, f), join(copy, f));
  }
  symlinkSync(realpathSync(join(PROJECT_ROOT, 'node_modules')), join(copy, 'node_modules'));
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-qm', 'the project before the toy');
}, 120_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('extending the harness as docs/extending.md says', () => {
  it('takes the edits the doc states: a reporter is 1 file + 1 line, an area its own files + 1 line a half', async () => {
    for (const f of exampleFiles()) {
      mkdirSync(dirname(join(copy, f)), { recursive: true });
      cpSync(join(EXAMPLE, f), join(copy, f));
    }
    for (const r of REGISTRATIONS) {
      const lines = readFileSync(join(copy, r.file), 'utf8').split('\n');
      const at = lines.findIndex((l) => l.startsWith(r.before));
      expect(at, `${r.file} has a line starting "${r.before}" that closes its list`).toBeGreaterThan(0);
      lines.splice(at, 0, r.line);
      writeFileSync(join(copy, r.file), lines.join('\n'));
    }
    const { added, changed } = await edits();
    expect(added).toEqual(exampleFiles().sort());
    expect(changed).toEqual({
      'reporters/index.ts': '+1 -0',
      'harness/areas/index.ts': '+1 -0',
      'reference/areas.ts': '+1 -0',
    });
    // the doc's table states the same: new files, and "1 line: `<file>`" per registry
    const reporterFiles = added.filter((f) => f.startsWith('reporters/'));
    expect(docRow('a reporter')).toEqual([
      reporterFiles.map((f) => `\`${f.replace('toy', '<name>')}\``).join(', '),
      '1 line: `reporters/index.ts`',
    ]);
    const areaPlaces = [
      ...new Set(
        added
          .filter((f) => !f.startsWith('reporters/'))
          .map((f) => (f.split('/').length > 2 && !f.startsWith('harness/') ? `${dirname(f)}/` : f)),
      ),
    ];
    expect(docRow('an area')).toEqual([
      areaPlaces
        .sort()
        .map((p) => `\`${p.replace('toy', '<area>')}\``)
        .join(', '),
      '1 line: `harness/areas/index.ts`, 1 line: `reference/areas.ts`',
    ]);
  });

  it('lists the toy reporter, the toy defect and the toy config section', async () => {
    const help = await cli('run', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('console, github, junit, tap, json, html, toy');
    const defects = await cli('defects');
    expect(defects.stdout).toContain('toy-mute');
    writeFileSync(join(copy, 'bad.config.json'), JSON.stringify({ toy: { greting: 'hi' } }));
    const bad = await toyRun(join(copy, 'out-bad'), '--config', 'bad.config.json');
    expect(bad.exitCode, bad.stderr).toBe(2);
    expect(bad.stderr).toContain('toy.greting');
  });

  it('runs the toy suite with its fixture and the toy reporter, and the toy defect fails exactly its case', async () => {
    const out = join(copy, 'out');
    const ok = await toyRun(out);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('toy: 1 case(s), see toy.txt');
    expect(readFileSync(join(out, 'toy.txt'), 'utf8')).toBe('PASS toy > toy > the toy service greets\n');

    const mute = join(copy, 'out-mute');
    const bad = await toyRun(mute, '--defect', 'toy-mute');
    expect(bad.exitCode, bad.stderr).toBe(1);
    expect(readFileSync(join(mute, 'toy.txt'), 'utf8')).toBe('FAIL toy > toy > the toy service greets\n');
    // the failure says what was expected and seen, in the toy's words
    const results = JSON.parse(readFileSync(join(mute, 'results.json'), 'utf8')) as RunResults;
    expect(results.cases[0]?.error?.problems?.map((p) => [p.message, p.expected, p.found])).toEqual([
      ['the toy service answers GET /hello with "hello"', 'hello', ''],
    ]);
  });
});
