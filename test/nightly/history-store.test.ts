// The history store on both back ends: migrations, transactional writes (a recorder
// killed before its commit leaves nothing behind), and identical `history --json`
// from the same runs recorded in SQLite and in a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openHistory, type HistoryStore } from '../../harness/history/store.ts';
import { historyReport } from '../../harness/history/report.ts';
import { MIGRATIONS, SCHEMA_VERSION, currentVersion, migrate } from '../../harness/history/migrations.ts';
import { openDb } from '../../harness/history/db.ts';
import { runCommand } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import { postgresBin, startCluster, type Cluster } from './helpers/postgres.ts';
import { seededHistory, synthEvents, synthRun } from './helpers/synth.ts';
import { foldEvents } from '../../harness/results/model.ts';

const RECORD_AND_DIE = join(PROJECT_ROOT, 'test/nightly/helpers/record-and-die.ts');

async function recordAll(store: HistoryStore, n: number): Promise<void> {
  for (const r of seededHistory(n, 1100)) await store.record(r);
}

async function killedRecorder(spec: string): Promise<void> {
  const r = await runCommand(process.execPath, ['--import', 'tsx', RECORD_AND_DIE, spec, '999'], {
    timeoutMs: 60_000,
    cwd: PROJECT_ROOT,
  });
  expect(r.stdout).toContain('dying before commit');
  expect(r.exitCode).not.toBe(0);
}

async function expectConsistent(store: HistoryStore, runs: number): Promise<void> {
  expect(await currentVersion(store.db)).toBe(SCHEMA_VERSION);
  expect((await store.recentRuns(1000)).length).toBe(runs);
  // no orphan rows from the killed recorder
  const orphans = await store.db.all<{ n: number }>(
    "SELECT COUNT(*) AS n FROM cases WHERE run_id = 'run-00999'",
  );
  expect(Number(orphans[0]!.n)).toBe(0);
}

describe('history store: SQLite', () => {
  it('migrates once, records runs, and a recorder killed before commit leaves it consistent', async () => {
    const spec = join(tempDir(), 'h', 'history.db');
    const store = await openHistory(spec, PROJECT_ROOT);
    expect(await migrate(store.db)).toBe(SCHEMA_VERSION); // idempotent
    await recordAll(store, 12);
    await killedRecorder(spec);
    await expectConsistent(store, 12);
    const integrity = await store.db.all<{ integrity_check: string }>('PRAGMA integrity_check');
    expect(integrity[0]!.integrity_check).toBe('ok');
    // the same run twice is refused (one row a run), and the refusal leaves no partial rows
    await expect(store.record(seededHistory(1, 1000)[0]!)).rejects.toThrow();
    await expectConsistent(store, 12);
    await store.close();
  });

  it('records a run whose measurement has no samples (every cold boot failed) without that measurement', async () => {
    const store = await openHistory(join(tempDir(), 'empty.db'), PROJECT_ROOT);
    const run = synthRun({ index: 0, cases: [{ title: 'cold boot', attempts: ['failed'] }], boot: [] });
    expect(run.measurements[0]?.samples).toEqual([]);
    await store.record(run);
    expect((await store.recentRuns(10)).length).toBe(1);
    const rows = await store.db.all<{ n: number }>('SELECT COUNT(*) AS n FROM measurements');
    expect(Number(rows[0]!.n)).toBe(0);
    await store.close();
  });

  it('upgrades a version-1 store in place, backfilling what version 2 added', async () => {
    const spec = join(tempDir(), 'v1.db');
    const db = await openDb(spec, PROJECT_ROOT);
    await db.run(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    for (const st of MIGRATIONS[0]!.statements) await db.run(st);
    await db.run("INSERT INTO schema_migrations VALUES (1, 'v1', 'x')");
    await db.run(
      "INSERT INTO runs VALUES ('r1', '2030-01-01T00:00:00.000Z', NULL, 1, 'passed', 'reference', 'reference', 'reference', NULL, NULL, NULL, '{}', '{}', 'x')",
    );
    await db.run("INSERT INTO cases VALUES ('r1', 'c', 's', 'f', 'passed', 1, 1, 1, 0, 0, 0, 0)");
    await db.close();
    const store = await openHistory(spec, PROJECT_ROOT);
    expect(await currentVersion(store.db)).toBe(2);
    expect(await store.db.all('SELECT started_at FROM cases')).toEqual([
      { started_at: '2030-01-01T00:00:00.000Z' },
    ]);
    expect(await store.caseStreak('c', 5)).toEqual([{ status: 'passed', flaky: 0 }]);
    await store.close();
  });

  it('a merge of several runs is recorded once, under the joined run ids', async () => {
    const store = await openHistory(join(tempDir(), 'm.db'), PROJECT_ROOT);
    const merged = foldEvents(
      [0, 1].map((i) => synthEvents({ index: i, cases: [{ title: 'x', attempts: ['passed'] }] })),
    );
    expect(await store.record(merged)).toBe('run-00000+run-00001');
    expect((await store.recentRuns(10)).map((r) => r.run_id)).toEqual(['run-00000+run-00001']);
    await store.close();
  });

  it('refuses a store written by a newer harness, naming the fix', async () => {
    const spec = join(tempDir(), 'history.db');
    const store = await openHistory(spec, PROJECT_ROOT);
    await store.db.run(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')",
    );
    await store.close();
    await expect(openHistory(spec, PROJECT_ROOT)).rejects.toThrow(
      /newer than this harness.*\n.*fix: upgrade/,
    );
  });
});

const { bin, missing } = postgresBin();
if (missing) {
  // loud, never a silent pass: the PostgreSQL half of the contract is not checked here
  process.stderr.write(`\n*** ${missing} ***\n\n`);
}

describe('history store: PostgreSQL', () => {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    if (bin) cluster = await startCluster(bin);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('is available (PostgreSQL from apt)', () => {
    expect(missing, missing).toBeUndefined();
  });

  it('records the same runs as SQLite and gives the same history --json', async () => {
    const url = cluster!.url;
    const pg = await openHistory(url, PROJECT_ROOT);
    expect(await migrate(pg.db)).toBe(SCHEMA_VERSION);
    await recordAll(pg, 12);
    await killedRecorder(url);
    await expectConsistent(pg, 12);
    await pg.close();

    const sqliteFile = join(tempDir(), 'history.db');
    const lite = await openHistory(sqliteFile, PROJECT_ROOT);
    await recordAll(lite, 12);
    const fromLite = await historyReport(lite, { last: 20 });
    await lite.close();
    expect(fromLite.regressions[0]).toMatchObject({ name: 'boot.cold', regressed: true });

    // through the real CLI, both stores
    const a = await cli(['history', '--history', sqliteFile, '--json']);
    const b = await cli(['history', '--history', url, '--json']);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(JSON.stringify(fromLite)));
  });

  it('an unreachable PostgreSQL is an infrastructure error naming the place and the fix', async () => {
    const r = await cli(['history', '--history', 'postgres://qa:hunter2@127.0.0.1:1/none', '--json']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/cannot connect[\s\S]*fix:/);
    expect(r.stderr).not.toContain('hunter2');
  });
});
