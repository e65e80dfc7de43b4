// Where alerts go: an S3-compatible bucket. The uploader needs one call, put, which
// resolves only once the store has confirmed the bytes (the ETag of a single-part
// upload is the MD5 of the body, so the uploader can tell a stored object from a
// truncated one).
import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface ObjectStore {
  readonly describe: string;
  put(key: string, body: Buffer): Promise<void>;
}

export interface S3StoreOptions {
  endpoint: string;
  bucket: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** bound on each request */
  timeoutMs?: number;
}

export function s3Store(o: S3StoreOptions): ObjectStore & { close(): void } {
  const client = new S3Client({
    endpoint: o.endpoint,
    region: o.region ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    maxAttempts: 1, // a failed put is retried at the next round, not hidden inside this one
  });
  const describe = `s3 ${o.endpoint}/${o.bucket}`;
  return {
    describe,
    async put(key, body) {
      const md5 = createHash('md5').update(body).digest('hex');
      const res = await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: key, Body: body }), {
        abortSignal: AbortSignal.timeout(o.timeoutMs ?? 5000),
      });
      const etag = res.ETag?.replace(/"/g, '');
      if (etag !== md5)
        throw new Error(
          `${describe}: stored ${key} with ETag ${etag ?? 'none'}, expected the body's MD5 ${md5}`,
        );
    },
    close: () => client.destroy(),
  };
}
