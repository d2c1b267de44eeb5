// biome-ignore-start lint/style/noRestrictedImports: the local runtime stands in for CloudFormation here; it creates the table and never reads or writes items.
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
// biome-ignore-end lint/style/noRestrictedImports: see above
import { tableDefinition } from '#domain/db/table-definition';

export interface LocalTable {
  tableName: string;
  /** The table's stream, for the local stream poller. */
  streamArn: string;
}

/** DynamoDB Local accepts any credentials; these match the domain client's local ones. */
const adminClient = (endpoint: string, maxAttempts = 3): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts });

/** The CreateTable request built from the shared definition: what CDK deploys, minus what DynamoDB Local ignores. */
export const createTableInput = (tableName: string): CreateTableCommandInput => {
  const { partitionKey, sortKey, globalIndexes, streamViewType } = tableDefinition;
  const keyNames = [partitionKey, sortKey, ...globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: streamViewType },
  };
};

/**
 * Creates the table from the shared definition and enables its TTL attribute.
 * Idempotent: an existing table (a DATA_DIR restart, a second test file) is
 * kept as it is, so data survives restarts.
 */
export const createTable = async ({ endpoint, tableName }: { endpoint: string; tableName: string }): Promise<LocalTable> => {
  const client = adminClient(endpoint);
  try {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    // Enabling TTL twice is a ValidationException, so only a table without it gets the call.
    const ttlStatus = ttl.TimeToLiveDescription?.TimeToLiveStatus;
    if (ttlStatus !== 'ENABLED' && ttlStatus !== 'ENABLING') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
        }),
      );
    }
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`Table ${tableName} has no stream; it was created without the shared definition`);
    return { tableName, streamArn: Table.LatestStreamArn };
  } finally {
    client.destroy();
  }
};

/** True when a DynamoDB answers ListTables at the endpoint; used to wait for DynamoDB Local to come up. */
export const pingDynamoDb = async (endpoint: string, timeoutMs = 1000): Promise<boolean> => {
  const client = adminClient(endpoint, 1);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
};
