// A local S3-compatible object store for tests: s3rver (a maintained npm package that
// implements the S3 REST API over a folder, with signature V4 checking), listening on a
// free loopback port. Its fixed account is S3RVER/S3RVER; those are test-only values.
import S3rver from 's3rver';
import { mkdirSync } from 'node:fs';
import { InfraError } from '../errors.ts';

export interface LocalS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  close(): Promise<void>;
}

export async function startLocalS3(directory: string, buckets: readonly string[]): Promise<LocalS3> {
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (e) {
    throw new InfraError(
      `the local S3 server (s3rver) did not start in ${directory}: ${(e as Error).message}`,
      'check that the folder is writable and npm ci installed s3rver',
    );
  }
  let closed = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: 'us-east-1',
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}
