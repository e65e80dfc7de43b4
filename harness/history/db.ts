// One small SQL surface over both history back ends, so migrations, writes and
// queries are written once. SQL uses `?` placeholders; the PostgreSQL adapter
// numbers them ($1, $2, ...). Only portable SQL goes through here: TEXT, INTEGER,
// DOUBLE PRECISION columns, no AUTOINCREMENT/SERIAL, no upsert dialects.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InfraError } from '../errors.ts';

export interface Db {
  readonly kind: 'sqlite' | 'postgres';
  /** where the store is, for messages (a PostgreSQL URL without its password) */
  readonly where: string;
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  /** run fn in one transaction: all of it is committed, or none of it */
  tx<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const DEFAULT_HISTORY_PATH = '.cohesix-qa/history.db';

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//.test(spec);
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export async function openDb(spec: string, cwd: string): Promise<Db> {
  return isPostgresUrl(spec) ? openPostgres(spec) : openSqlite(resolve(cwd, spec));
}

/**
 * better-sqlite3 is synchronous: a second connection in this process that waits for
 * the write lock blocks the event loop, so the first can never commit. Transactions
 * on one file from one process therefore queue here; other processes wait on SQLite.
 */
const sqliteQueues = new Map<string, Promise<unknown>>();

function queued<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const prev = sqliteQueues.get(file) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  sqliteQueues.set(
    file,
    next.catch(() => {}),
  );
  return next;
}

async function openSqlite(file: string): Promise<Db> {
  let Database: typeof import('better-sqlite3');
  try {
    Database = (await import('better-sqlite3')).default;
  } catch (e) {
    throw new InfraError(
      `history store ${file}: the SQLite driver did not load (${(e as Error).message})\n  fix: run npm ci (better-sqlite3 builds its native module with node-gyp; it needs python3, make and a C++ compiler)`,
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // several runs on one machine may record at once; WAL lets readers go on while one writes
  db.pragma('busy_timeout = 15000');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const cache = new Map<string, import('better-sqlite3').Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    kind: 'sqlite',
    where: file,
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return stmt(sql).all(...params) as T[];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      if (params.length === 0 && /;\s*\S/.test(sql)) db.exec(sql);
      else stmt(sql).run(...params);
    },
    tx<T>(fn: () => Promise<T>) {
      return queued(file, async () => {
        // IMMEDIATE takes the write lock up front, so two recorders queue instead of deadlocking
        db.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn();
          db.exec('COMMIT');
          return out;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      });
    },
    async close() {
      db.close();
    },
  };
}

async function openPostgres(url: string): Promise<Db> {
  const pg = (await import('pg')).default;
  const where = redactUrl(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
  });
  // an error on an idle connection must not crash the harness; the next query reports it
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw new InfraError(
      `history store ${where}: cannot connect (${(e as Error).message})\n  fix: check the URL, that PostgreSQL is running and reachable, and the credentials`,
    );
  }
  const numbered = (sql: string) => {
    let i = 0;
    return sql.replace(/\?/g, () => `$${++i}`);
  };
  return {
    kind: 'postgres',
    where,
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(numbered(sql), [...params])).rows as T[];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      await client.query(params.length ? numbered(sql) : sql, [...params]);
    },
    async tx<T>(fn: () => Promise<T>) {
      await client.query('BEGIN');
      try {
        const out = await fn();
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      }
    },
    async close() {
      await client.end();
    },
  };
}
