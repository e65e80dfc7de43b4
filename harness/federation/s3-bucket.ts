// Creating a bucket and reading it back, to check what an uploader stored: every object with its bytes.
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export interface BucketReader {
  create(bucket: string): Promise<void>;
  listAll(bucket: string): Promise<Array<{ key: string; body: Buffer }>>;
  close(): void;
}

export function bucketReader(o: {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}): BucketReader {
  const client = new S3Client({
    endpoint: o.endpoint,
    region: o.region,
    forcePathStyle: true,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    maxAttempts: 1,
  });
  return {
    async create(bucket) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }), {
        abortSignal: AbortSignal.timeout(5000),
      });
    },
    async listAll(bucket) {
      const out: Array<{ key: string; body: Buffer }> = [];
      let token: string | undefined;
      // bounded: at most 100 pages of 1000 keys
      for (let page = 0; page < 100; page++) {
        const res = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
          { abortSignal: AbortSignal.timeout(5000) },
        );
        for (const c of res.Contents ?? []) {
          const obj = await client.send(new GetObjectCommand({ Bucket: bucket, Key: c.Key! }), {
            abortSignal: AbortSignal.timeout(5000),
          });
          out.push({ key: c.Key!, body: Buffer.from(await obj.Body!.transformToByteArray()) });
        }
        if (!res.IsTruncated) break;
        token = res.NextContinuationToken;
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    close: () => client.destroy(),
  };
}
