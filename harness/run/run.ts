// One run: plan → target → vitest (through the bridge) → result stream → reporters.
// Owns the lifecycle: whatever happens (failure, SIGINT, SIGTERM) the target is
// stopped, the stream gets its run-end, and results.json is written.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createVitest, type Vitest } from 'vitest/node';
import { PROJECT_ROOT } from '../paths.ts';
import { loadConfig } from '../config/load.ts';
import { applyCliOverrides, type CliOverrides } from '../config/cli-overrides.ts';
import { collectSecrets } from '../config/secrets.ts';
import { UsageError } from '../errors.ts';
import { EventSink } from '../results/sink.ts';
import { foldEvents, exitCodeFor, type RunResults } from '../results/model.ts';
import { finish } from './finish.ts';
import { composeRunReport } from '../history/run-report.ts';
import { startTarget, type StartedTarget } from '../target/start.ts';
import type { TargetDescriptor } from '../target/types.ts';
import { chooseTarget } from '../target/registry.ts';
import { reapStale } from '../process/reap.ts';
import { killAllSync } from '../process/registry.ts';
import { createVitestBridge } from './vitest-bridge.ts';
import { parseShard, resolveAreas, shardFiles, suiteFiles } from './plan.ts';
import { provenanceFor } from './provenance.ts';
import { createReporters, defaultReporters } from '../../reporters/index.ts';
import { loadQuarantine } from '../nightly/quarantine.ts';
import type { RunPolicy } from '../results/events.ts';
import { runAttempts } from './attempts.ts';
import { afterRun, planShard, parseCount } from '../nightly/integration.ts';

export interface RunOptions extends CliOverrides {
  suite?: string[];
  grep?: string;
  target?: string;
  config?: string;
  defect?: string;
  reporter?: string[];
  out?: string;
  shard?: string;
  /** how to balance shards: by file count (default) or by past durations from the history */
  shardBy?: string;
  /** run every case this many times */
  repeat?: number | string;
  /** extra attempts for a case whose last attempt hit an infrastructure error */
  retries?: number | string;
  /** retry product failures too */
  retryProduct?: boolean;
  /** a flaky case fails the run */
  failOnFlaky?: boolean;
  /** history store: SQLite path, postgres:// URL, or false / "off" to record nothing */
  history?: string | false;
  cwd?: string;
  /** where human output goes; the CLI passes stdout */
  write?: (text: string) => void;
}

export interface RunOutcome {
  exitCode: number;
  results: RunResults;
  outDir: string;
}

export async function run(opts: RunOptions): Promise<RunOutcome> {
  const cwd = opts.cwd ?? process.cwd();
  const loaded = applyCliOverrides(await loadConfig(opts.config, cwd), opts, cwd);
  const cfg = loaded.config;
  const { kind, name: targetName } = chooseTarget(opts.target, cfg.target);
  const defect = opts.defect ?? cfg.targets?.reference?.defect;
  if (defect && kind !== 'reference')
    throw new UsageError(
      `--defect ${defect}: defect modes exist only on the reference target\n  fix: drop --defect or use --target reference`,
    );
  const areas = resolveAreas(opts.suite ?? cfg.suites);
  const shard = parseShard(opts.shard);
  const historySpec = opts.history === false ? 'off' : (opts.history ?? cfg.nightly?.history);
  const quarantine = loadQuarantine(cfg.nightly?.quarantineFile, loaded.baseDir);
  const policy: RunPolicy = {
    repeat: parseCount('--repeat', opts.repeat, 1, 1),
    retries: parseCount('--retries', opts.retries, 0, 0),
    retryProduct: opts.retryProduct === true,
    failOnFlaky: opts.failOnFlaky === true,
    quarantine: quarantine.entries,
    ...(quarantine.file ? { quarantineFile: quarantine.file } : {}),
  };
  const allFiles = areas.flatMap(suiteFiles);
  const files = shard
    ? await planShard(allFiles, shard, opts.shardBy, historySpec, cwd)
    : shardFiles(allFiles, shard);
  const outDir = resolve(cwd, opts.out ?? cfg.outDir ?? 'qa-results');
  const secrets = collectSecrets(cfg);
  const write = opts.write ?? ((t: string) => process.stdout.write(t));
  const reporterNames = opts.reporter ?? cfg.reporters ?? defaultReporters(process.env);
  const reporterSource = opts.reporter ? '--reporter' : `${loaded.file ?? 'config'}: reporters:`;
  const reporters = createReporters(
    reporterNames,
    { outDir, secrets, write, env: process.env },
    reporterSource,
  );
  const stateRoot = resolve(cwd, cfg.targets?.reference?.stateDir ?? '.cohesix-qa');
  const runId = randomUUID();
  const started = Date.now();

  mkdirSync(outDir, { recursive: true });
  rmSync(join(outDir, 'results.json'), { force: true });
  for (const r of reapStale(stateRoot))
    write(`reaped a leftover ${r.label} (pid ${r.pid}) from a killed run\n`);

  const controller = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  let vitest: Vitest | undefined;
  let target: StartedTarget | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) {
      // a second signal: stop waiting for a clean shutdown
      killAllSync('SIGKILL');
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
    interrupted = sig;
    write(`\n${sig}: stopping the run (again to force)\n`);
    controller.abort();
    void vitest?.cancelCurrentRun('keyboard-input');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // only the areas that have files in this shard need their services
  const plannedAreas = areas.filter((a) => files.some((f) => f.startsWith(`suites/${a}/`)));
  let descriptor: TargetDescriptor;
  try {
    target = await startTarget({
      loaded,
      kind,
      areas: plannedAreas,
      defect,
      name: targetName,
      stateRoot,
      runId,
      signal: controller.signal,
      log: (level, message) => write(`[${level}] ${message}\n`),
    });
    descriptor = target.descriptor;
  } catch (e) {
    if (e instanceof UsageError) {
      cleanupSignals(onSignal);
      throw e;
    }
    // the cases still run, and each reports the infrastructure error it met
    descriptor = { kind, name: kind, resources: {}, infraError: (e as Error).message, defect };
  }

  const sink = new EventSink(outDir, reporters, secrets);
  const bridge = createVitestBridge({
    root: PROJECT_ROOT,
    sink,
    grep: opts.grep,
    serviceDown: (area) => target?.down?.(area),
  });
  try {
    sink.emit({
      type: 'run-start',
      runId,
      provenance: await provenanceFor(descriptor),
      plan: { suites: areas, files, grep: opts.grep, shard, policy },
    });
    if (descriptor.infraError)
      sink.emit({ type: 'log', level: 'error', message: `target did not start: ${descriptor.infraError}` });
    if (files.length > 0 && !interrupted) {
      vitest = await createVitest(
        'test',
        {
          config: false,
          root: PROJECT_ROOT,
          include: files,
          watch: false,
          reporters: [bridge],
          provide: {
            cohesixTarget: descriptor,
            cohesixRun: { outDir, secrets, require: cfg.require ?? [] },
          },
          // vitest matches names joined with spaces; we print and filter them joined
          // with " > " (the bridge keeps only exact matches), so a title copied from a
          // report must match here too
          testNamePattern: opts.grep ? escapeRegExp(opts.grep.split(' > ').join(' ')) : undefined,
          pool: 'forks',
          // One module graph per worker, not per file: every suite file imports the
          // fixtures door and through it every area's drivers, and re-importing them per
          // file cost seconds each (a defect-matrix run halved without it). Suites keep no
          // module state; worker-scoped fixtures are then shared by a worker's files.
          isolate: false,
          // That one worker holds every area's drivers and peaked at ~280 MB (#17 asks ≤ 250 MB a
          // process, docs/decisions/rss.md). Three settings bring it to ~225 MB at no measured
          // cost in wall time: a 2 MB young generation (node's default is 16 MB a semi-space:
          // the worker allocates little per case, so the extra scavenges are cheap); two V8
          // background threads, not four (fewer optimising compiles in flight at once, each
          // with its own zone memory, on a 2-core runner); and at most two glibc malloc arenas
          // (each thread otherwise gets its own, left fragmented). glibc reads the variable at
          // start, so it goes in the worker's spawn environment; the suites' processes inherit it.
          execArgv: ['--max-semi-space-size=2', '--v8-pool-size=2'],
          env: { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
          includeTaskLocation: true,
          passWithNoTests: true,
          testTimeout: cfg.timeouts?.caseMs ?? 60_000,
          hookTimeout: cfg.timeouts?.caseMs ?? 60_000,
          teardownTimeout: 10_000,
        },
        { server: { watch: null } },
      );
      // vitest's logger installs SIGINT/SIGTERM handlers that exit the process at
      // once; this run owns shutdown (stop the target, end the stream), so only ours stay.
      for (const sig of ['SIGINT', 'SIGTERM'] as const) {
        for (const l of process.listeners(sig)) if (l !== onSignal) process.off(sig, l as () => void);
      }
      await runAttempts(
        vitest,
        bridge,
        files.map((f) => join(PROJECT_ROOT, f)),
        policy,
        () => !!interrupted,
      );
    }
  } finally {
    await vitest?.close().catch(() => {});
    await target?.stop().catch((e: Error) => write(`[warn] target did not stop cleanly: ${e.message}\n`));
    cleanupSignals(onSignal);
    sink.emit({
      type: 'run-end',
      status: interrupted ? 'interrupted' : 'passed',
      durationMs: Date.now() - started,
      reason: interrupted ? 'interrupted' : 'completed',
      unhandledErrors: bridge.unhandled,
    });
    sink.close();
  }

  const results = foldEvents([sink.events]);
  // history: record this run, then read back what the reports show from it
  const found = await afterRun(results, { historySpec, cwd, releaseAfter: quarantine.releaseAfter, write });
  const report = composeRunReport(results, found);
  await finish(report, outDir, reporters, write);
  let exitCode = interrupted ? (interrupted === 'SIGINT' ? 130 : 143) : exitCodeFor(results.summary.status);
  // a gate that ran nothing must not pass: a mistyped --grep would otherwise turn CI green
  // (a shard may legitimately hold none of the matches, so only an unsharded run is judged)
  if (!interrupted && opts.grep !== undefined && !shard && results.summary.total === 0) {
    write(
      `--grep "${opts.grep}" matched no case of ${areas.join(', ')}\n` +
        `  fix: \`cohesix-qa list --suite ${areas.join(',')}\` prints every case title; copy one (or part of one)\n`,
    );
    exitCode = 2;
  }
  return { exitCode, results, outDir };
}

function cleanupSignals(handler: (s: NodeJS.Signals) => void): void {
  process.off('SIGINT', handler);
  process.off('SIGTERM', handler);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
