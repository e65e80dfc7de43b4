// The gui suite against services of the user's own, through the real CLI as the
// external target: nothing started by the harness, nothing merged from the reference.
// The GUI here is the reference's code making the *other* choices where the contract is
// silent (uptime as a duration string, no gpu key without telemetry, its access log
// somewhere else): it must pass, with those choices as notes; with each GUI defect mode
// on, exactly the case that names the defect must fail, in sentences (defects that can
// share a run, test/e2e/defect-groups.ts, are on together: one GUI and one run per group).
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { cli, tempDir, CLI } from '../helpers/cli.ts';
import type { RunResults } from '../../harness/results/model.ts';
import { startGuiStack, type GuiStack } from '../../reference/gui/stack.ts';
import { GUI_PATHS } from '../../reference/gui/server.ts';
import { guiDefects } from '../../reference/gui/defects.ts';
import { spawnManaged } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { rawPhrasings } from '../verdicts/raw-phrasing.ts';
import { areaRuns } from '../e2e/defect-groups.ts';

const stacks: GuiStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

async function variant(defects: string[] = []) {
  const dir = tempDir('cqa-gui-variant-');
  const accessLog = join(dir, 'var', 'log', 'cohesix', 'orchestrator-access.log');
  const stack = await startGuiStack({
    stateDir: dir,
    defects: new Set(defects),
    timeoutSeconds: 4,
    accessLogFile: accessLog,
    choices: { uptime: 'duration', gpuKey: 'omit' },
  });
  stacks.push(stack);
  return { dir, stack, accessLog };
}

function externalConfig(dir: string, gui: Record<string, unknown>): string {
  const file = join(dir, 'cohesix-qa.config.json');
  writeFileSync(file, JSON.stringify({ target: { kind: 'external', name: 'variant' }, gui }, null, 2));
  return file;
}

function guiSection(v: Awaited<ReturnType<typeof variant>>) {
  return {
    url: v.stack.gui.url,
    credentialsFile: join(v.dir, GUI_PATHS.credentials),
    grpcAddress: v.stack.orchestrator.address,
    grpcServerName: 'localhost',
    caCert: v.stack.pki.ca.cert,
    clientCert: v.stack.operatorClient.cert,
    clientKey: v.stack.operatorClient.key,
    accessLogPath: v.accessLog,
  };
}

async function runGui(config: string) {
  const out = tempDir('cqa-gui-ext-out-');
  const r = await cli(
    ['run', '--suite', 'gui', '--config', config, '--reporter', 'json', '--history', 'off', '--out', out],
    { timeoutMs: 300_000 },
  );
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
  return { r, results };
}

describe('gui suite against an external GUI that reads the contract the other way', () => {
  it('passes, notes each choice that differs from the reference, and records what it tested', async () => {
    const v = await variant();
    const { r, results } = await runGui(externalConfig(v.dir, guiSection(v)));
    const bad = results.cases.filter((c) => c.status !== 'passed');
    expect(bad.map((c) => `${c.fullTitle}: ${c.error?.message}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
    const p = results.runs[0]!.provenance;
    expect(p).toMatchObject({
      targetKind: 'external',
      targetName: 'external:variant',
      'gui.url': v.stack.gui.url,
      'gui.grpcAddress': v.stack.orchestrator.address,
    });
    const notes = results.cases.flatMap((c) => c.notes ?? []).join('\n');
    expect(notes).toMatch(/uptime: expected integer, found "\d+h\d+m\d+s"/);
    expect(notes).toMatch(/\.gpu: expected a value \(required\)/);
  }, 320_000);

  it('with gui.dashboard false, skips the browser checks with that reason and notes the role form', async () => {
    const v = await variant();
    const { r, results } = await runGui(externalConfig(v.dir, { ...guiSection(v), dashboard: false }));
    const byTitle = new Map(results.cases.map((c) => [c.title, c]));
    const dash = [...byTitle.values()].find((c) => c.title.startsWith("the dashboard's live agent table"));
    expect(dash?.status).toBe('skipped');
    const control = [...byTitle.values()].find((c) =>
      c.title.startsWith('a change made through /api/control'),
    );
    expect(control?.status).toBe('passed');
    expect(control?.notes?.join('\n')).toMatch(/role form was not checked: gui\.dashboard is false/);
    expect(results.summary).toMatchObject({ failed: 0, infraErrors: 0, skipped: 1 });
    expect(r.exitCode).toBe(0);
  }, 320_000);

  // one run at a time: the cases measure bounds, and the machine is shared
  it.each(areaRuns(guiDefects).map((run) => [run.map((d) => d.name).join(' + '), run] as const))(
    'with %s on, fails exactly the cases that name them, in sentences',
    async (names, run) => {
      const v = await variant(run.map((d) => d.name));
      const { r, results } = await runGui(externalConfig(v.dir, guiSection(v)));
      const failed = results.cases.filter((c) => c.status !== 'passed');
      expect(
        failed.map((c) => `${c.fullTitle} [${c.status}]`).sort(),
        `the cases that failed with ${names} on`,
      ).toEqual(run.map((d) => `${d.caseTitle} [failed]`).sort());
      expect(r.exitCode).toBe(1);
      // the project's one raw-phrasing check, as the defect matrix runs it
      expect(rawPhrasings(results, 'gui'), 'failure text in raw assertion phrasing').toEqual([]);
    },
    320_000,
  );
});

describe('pointing the harness at services explicitly', () => {
  it('refuses a gui section that names an own GUI under the reference target, and an external run with no section', async () => {
    const dir = tempDir('cqa-gui-cfg-');
    const mixed = join(dir, 'mixed.json');
    writeFileSync(mixed, JSON.stringify({ target: 'reference', gui: { url: 'http://127.0.0.1:1' } }));
    const a = await cli([
      'run',
      '--suite',
      'gui',
      '--config',
      mixed,
      '--history',
      'off',
      '--out',
      join(dir, 'a'),
    ]);
    expect(a.exitCode).toBe(2);
    expect(a.stderr + a.stdout).toMatch(/gui\.url names a service of your own[\s\S]*--target external/);
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ target: 'external' }));
    const b = await cli([
      'run',
      '--suite',
      'gui',
      '--config',
      empty,
      '--history',
      'off',
      '--out',
      join(dir, 'b'),
    ]);
    expect(b.exitCode).toBe(2);
    expect(b.stderr + b.stdout).toMatch(/suite gui: the config has no "gui" section/);
  }, 120_000);

  it('`reference serve --area gui` prints its endpoints as one JSON line, serves a run, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir('cqa-serve-');
    const serve = spawnManaged(process.execPath, [CLI, 'reference', 'serve', '--area', 'gui'], {
      label: 'reference serve (test)',
      cwd: PROJECT_ROOT,
    });
    try {
      const stdout = serve.child.stdout!;
      let text = '';
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no JSON line from reference serve within 120 s; stdout so far: ${text}`)),
          120_000,
        );
        stdout.on('data', (b: Buffer) => {
          text += b.toString('utf8');
          const nl = text.indexOf('\n');
          if (nl >= 0) {
            clearTimeout(timer);
            resolve(text.slice(0, nl));
          }
        });
      });
      const served = JSON.parse(line) as {
        runId: string;
        stateDir: string;
        areas: { gui: Record<string, unknown> };
      };
      expect(served.stateDir).toBe(join(PROJECT_ROOT, '.cohesix-qa', 'runs', served.runId));
      const { r, results } = await runGui(externalConfig(dir, served.areas.gui));
      expect(results.cases.filter((c) => c.status !== 'passed').map((c) => c.error?.message)).toEqual([]);
      expect(r.exitCode).toBe(0);
      expect(results.runs[0]!.provenance['gui.url']).toBe(served.areas.gui['url']);
      await serve.stop(10_000);
      expect(await serve.exited).toMatchObject({ exitCode: 0 });
      const port = Number(new URL(String(served.areas.gui['url'])).port);
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: '127.0.0.1', port });
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
      expect(refused, `the GUI port ${port} still answers after the serve stopped`).toBe(true);
    } finally {
      await serve.stop(0);
    }
  }, 400_000);
});
