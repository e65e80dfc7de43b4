// The trace uploader: one round uploads every alert file under /srv/alerts to the
// object store and removes a file only after the store has confirmed its bytes and the
// file still holds exactly what was uploaded. A failed upload leaves the file for the
// next round. Object keys carry the content hash, so a retried round that uploads the
// same bytes again writes the same object: every alert arrives exactly once.
import { createHash } from 'node:crypto';
import type { AlertNamespace } from './namespace.ts';
import type { ObjectStore } from './object-store.ts';

export interface RoundOutcome {
  path: string;
  key?: string;
  status: 'uploaded' | 'failed' | 'changed' | 'kept-remove-failed';
  error?: string;
}

export interface RoundReport {
  namespace: string;
  store: string;
  outcomes: RoundOutcome[];
}

export interface UploaderOptions {
  /** key prefix in the bucket, default "alerts/" */
  prefix?: string;
  /** defect mode uploader-deletes-before-upload: remove each file before its upload */
  deleteBeforeUpload?: boolean;
}

export function objectKey(prefix: string, path: string, body: Buffer): string {
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return `${prefix}${path}@${digest}`;
}

function message(e: unknown): string {
  const err = e as { name?: string; message?: string };
  return `${err.name ?? 'Error'}: ${err.message ?? String(e)}`;
}

export async function uploadRound(
  ns: AlertNamespace,
  store: ObjectStore,
  opts: UploaderOptions = {},
): Promise<RoundReport> {
  const prefix = opts.prefix ?? 'alerts/';
  const outcomes: RoundOutcome[] = [];
  for (const path of await ns.list()) {
    let body: Buffer;
    try {
      body = await ns.read(path);
    } catch (e) {
      outcomes.push({ path, status: 'failed', error: `read: ${message(e)}` });
      continue;
    }
    const key = objectKey(prefix, path, body);
    if (opts.deleteBeforeUpload) await ns.remove(path);
    try {
      await store.put(key, body);
    } catch (e) {
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
      outcomes.push({ path, key, status: 'kept-remove-failed', error: `remove: ${message(e)}` });
    }
  }
  return { namespace: ns.describe, store: store.describe, outcomes };
}
