// The trace uploader: one round uploads every alert file under /srv/alerts to the
// object store and removes a file only after the store has confirmed its bytes and the
// file still holds exactly what was uploaded. A failed upload leaves the file for the
// next round. Object keys carry the content hash, so a retried round that uploads the
// same bytes again writes the same object: every alert arrives exactly once.
import { createHash } from 'node:crypto';
import type { AlertNamespace } from './namespace.ts';
import type { ObjectStore } from './object-store.ts';

export type OutcomeStatus =
  /** stored, confirmed, and removed from the namespace */
  | 'uploaded'
  /** not stored (read or upload failed): the file is kept for the next round */
  | 'failed'
  /** stored, but the file changed meanwhile: kept, uploaded whole at the next round */
  | 'changed'
  /** stored, but the namespace refused the removal (or the re-read failed): kept */
  | 'kept-remove-failed'
  /** stored; Tremove was sent but its answer never came (connection lost, no reply): the
   * file may or may not be gone. Either way the alert is in the store once, because a
   * re-upload of the same bytes writes the same key. */
  | 'remove-unconfirmed'
  /** not attempted: the round stopped when the connection was lost */
  | 'skipped';

export interface RoundOutcome {
  path: string;
  key?: string;
  status: OutcomeStatus;
  error?: string;
}

export interface RoundReport {
  namespace: string;
  store: string;
  outcomes: RoundOutcome[];
  /** set when the round stopped early (the namespace could not be mounted or listed, or its connection was lost) */
  aborted?: string;
}

export interface UploaderOptions {
  /** key prefix in the bucket, default "alerts/" */
  prefix?: string;
  /** defect mode uploader-deletes-before-upload: remove each file before its upload */
  deleteBeforeUpload?: boolean;
  /** told each store step ("upload <key>: ok" / "...: failed: <why>"), so a 9P transcript can show
   * where the uploads fell between the 9P requests; never given file bytes or credentials */
  note?: (line: string) => void;
}

export function objectKey(prefix: string, path: string, body: Buffer): string {
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return `${prefix}${path}@${digest}`;
}

function message(e: unknown): string {
  const err = e as { name?: string; message?: string };
  return `${err.name ?? 'Error'}: ${err.message ?? String(e)}`;
}

function lostError(ns: AlertNamespace, e: unknown): boolean {
  return ns.connectionLost?.() === true || (e as Error)?.name === 'NinepConnectionError';
}

/** A Tremove without an answer: a timeout or a lost connection leaves its effect unknown. */
function unanswered(ns: AlertNamespace, e: unknown): boolean {
  return lostError(ns, e) || (e as Error)?.name === 'NinepTimeoutError';
}

export async function uploadRound(
  ns: AlertNamespace,
  store: ObjectStore,
  opts: UploaderOptions = {},
): Promise<RoundReport> {
  const prefix = opts.prefix ?? 'alerts/';
  const outcomes: RoundOutcome[] = [];
  const report = (aborted?: string): RoundReport => ({
    namespace: ns.describe,
    store: store.describe,
    outcomes,
    ...(aborted ? { aborted } : {}),
  });
  let paths: string[];
  try {
    paths = await ns.list();
  } catch (e) {
    return report(`listing /srv/alerts failed, nothing was uploaded or removed: ${message(e)}`);
  }
  // once the connection is gone, every later file is skipped and the round says where it stopped
  const stop = (i: number, e: unknown): RoundReport => {
    for (const path of paths.slice(i + 1)) outcomes.push({ path, status: 'skipped' });
    const done = outcomes.filter((o) => o.status === 'uploaded').length;
    return report(
      `the connection to ${ns.describe} was lost at ${paths[i]} (file ${i + 1} of ${paths.length}; ` +
        `${done} uploaded and removed before it): ${message(e)}. Every file not reported "uploaded" ` +
        `is kept or already stored under its content key; the next round finishes the work.`,
    );
  };
  for (const [i, path] of paths.entries()) {
    let body: Buffer;
    try {
      body = await ns.read(path);
    } catch (e) {
      outcomes.push({ path, status: 'failed', error: `read: ${message(e)}` });
      if (lostError(ns, e)) return stop(i, e);
      continue;
    }
    const key = objectKey(prefix, path, body);
    if (opts.deleteBeforeUpload) {
      try {
        await ns.remove(path);
      } catch (e) {
        outcomes.push({ path, key, status: 'failed', error: `remove: ${message(e)}` });
        if (lostError(ns, e)) return stop(i, e);
        continue;
      }
    }
    try {
      await store.put(key, body);
      opts.note?.(`upload ${key}: stored`);
    } catch (e) {
      opts.note?.(`upload ${key}: failed: ${message(e)}`);
      outcomes.push({ path, key, status: 'failed', error: `upload: ${message(e)}` });
      continue;
    }
    if (opts.deleteBeforeUpload) {
      outcomes.push({ path, key, status: 'uploaded' });
      continue;
    }
    // an alert log may grow while it is uploaded: remove it only if it holds exactly the uploaded bytes
    let now: Buffer;
    try {
      now = await ns.read(path);
    } catch (e) {
      outcomes.push({ path, key, status: 'kept-remove-failed', error: `re-read: ${message(e)}` });
      if (lostError(ns, e)) return stop(i, e);
      continue;
    }
    if (!now.equals(body)) {
      outcomes.push({ path, key, status: 'changed' });
      continue;
    }
    try {
      await ns.remove(path);
      outcomes.push({ path, key, status: 'uploaded' });
    } catch (e) {
      if (unanswered(ns, e)) {
        outcomes.push({ path, key, status: 'remove-unconfirmed', error: `remove: ${message(e)}` });
        if (lostError(ns, e)) return stop(i, e);
      } else outcomes.push({ path, key, status: 'kept-remove-failed', error: `remove: ${message(e)}` });
    }
  }
  return report();
}
