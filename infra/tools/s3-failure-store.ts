import { DeleteObjectCommand, GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import type { FailureStore } from './redrive.ts';

export interface S3FailureStoreOptions {
  bucket: string;
  /** Only objects under this prefix; Lambda writes to `aws/lambda/<mapping id>/<shard id>/YYYY/MM/DD/…`. */
  prefix?: string;
  client?: S3Client;
}

/**
 * The stack's failure bucket as a failure store. Removing an object deletes
 * its current version only: the bucket is versioned and keeps the replayed
 * failure as a noncurrent version for 90 days, as evidence.
 */
export const s3FailureStore = ({ bucket, prefix, client = new S3Client({}) }: S3FailureStoreOptions): FailureStore => ({
  location: `s3://${bucket}/${prefix ?? ''}`,
  list: async function* () {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}) })) {
      for (const object of page.Contents ?? []) {
        // Lambda's object keys carry the date and time, so listing order is oldest first within a shard.
        if (object.Key && !object.Key.endsWith('/')) yield object.Key;
      }
    }
  },
  read: async (key) => {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return Body.transformToString('utf8');
  },
  remove: async (key) => {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  },
});
