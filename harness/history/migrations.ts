// Versioned schema migrations for the history store. Each migration runs in its own
// transaction together with its row in schema_migrations, so a store is always at
// exactly one version. Append new migrations; never edit one that has shipped.
import type { Db } from './db.ts';
import { InfraError } from '../errors.ts';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'runs, cases, measurements',
    statements: [
      `CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms DOUBLE PRECISION,
        status TEXT NOT NULL,
        target_kind TEXT NOT NULL,
        target_name TEXT NOT NULL,
        profile TEXT NOT NULL,
        git_commit TEXT,
        defect TEXT,
        shard TEXT,
        provenance TEXT NOT NULL,
        summary TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      )`,
      `CREATE INDEX runs_started ON runs (started_at, run_id)`,
      `CREATE TABLE cases (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        case_id TEXT NOT NULL,
        suite TEXT NOT NULL,
        file TEXT NOT NULL,
        status TEXT NOT NULL,
        duration_ms DOUBLE PRECISION NOT NULL,
        attempts INTEGER NOT NULL,
        passed_attempts INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL,
        infra_attempts INTEGER NOT NULL,
        flaky INTEGER NOT NULL,
        quarantined INTEGER NOT NULL,
        PRIMARY KEY (run_id, case_id)
      )`,
      `CREATE INDEX cases_case ON cases (case_id)`,
      `CREATE TABLE measurements (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        case_id TEXT NOT NULL,
        name TEXT NOT NULL,
        unit TEXT NOT NULL,
        statistic TEXT NOT NULL,
        samples TEXT NOT NULL,
        median DOUBLE PRECISION NOT NULL,
        p95 DOUBLE PRECISION NOT NULL,
        budget DOUBLE PRECISION,
        PRIMARY KEY (run_id, seq)
      )`,
      `CREATE INDEX measurements_name ON measurements (name)`,
    ],
  },
  {
    // "did this case pass its last N runs" walked every run of the case (168 ms at
    // 10 000 runs); with the run's start time on the case row an index answers it
    version: 2,
    name: 'cases.started_at for per-case streaks',
    statements: [
      `ALTER TABLE cases ADD COLUMN started_at TEXT`,
      `UPDATE cases SET started_at = (SELECT r.started_at FROM runs r WHERE r.run_id = cases.run_id)`,
      `CREATE INDEX cases_case_started ON cases (case_id, started_at)`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

export async function currentVersion(db: Db): Promise<number> {
  const rows = await db.all<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}

/** Bring the store to SCHEMA_VERSION. Refuses a store written by a newer harness. */
export async function migrate(db: Db): Promise<number> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  for (const m of MIGRATIONS) {
    const applied = await db.tx(async () => {
      // two runners migrating one PostgreSQL store at once: the second waits here
      if (db.kind === 'postgres') await db.run('SELECT pg_advisory_xact_lock(7261001)');
      if ((await currentVersion(db)) >= m.version) return false;
      for (const s of m.statements) await db.run(s);
      await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    void applied;
  }
  const v = await currentVersion(db);
  if (v > SCHEMA_VERSION)
    throw new InfraError(
      `history store ${db.where}: schema version ${v} is newer than this harness knows (${SCHEMA_VERSION})\n  fix: upgrade cohesix-qa, or point --history at another store`,
    );
  return v;
}
