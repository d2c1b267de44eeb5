import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#domain/db/client';

/** Raw items as DynamoDB holds them (ElectroDB's attributes plus `__edb_e__`, the entity name). */
export type RawItem = Record<string, unknown>;

/** Every item of the test file's table: the ground truth a model is compared with. */
export const scanTable = async (): Promise<RawItem[]> => {
  const items: RawItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(new ScanCommand({ TableName: tableName(), ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as RawItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** Empties the table, so each generated world starts from nothing. */
export const wipeTable = async (): Promise<void> => {
  const keys = (await scanTable()).map((item) => ({ pk: item.pk, sk: item.sk }));
  const batches = Array.from({ length: Math.ceil(keys.length / 25) }, (_, i) => keys.slice(i * 25, i * 25 + 25));
  await Promise.all(
    batches.map(async (batch) => {
      let requests: Record<string, unknown>[] | undefined = batch.map((Key) => ({ DeleteRequest: { Key } }));
      while (requests && requests.length > 0) {
        const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
        requests = result.UnprocessedItems?.[tableName()] as Record<string, unknown>[] | undefined;
      }
    }),
  );
};

/** Items of one ElectroDB entity. */
export const itemsOf = (items: readonly RawItem[], entity: string): RawItem[] => items.filter((item) => item.__edb_e__ === entity);

/** A stable fingerprint of the table, to show a request wrote nothing. */
export const fingerprintOf = (items: readonly RawItem[]): string =>
  items
    .map((item) => JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))))
    .sort()
    .join('\n');
