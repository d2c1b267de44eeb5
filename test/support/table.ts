import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createTable } from '../../infra/local/table.ts';
import './provided-context.ts';

export interface TestTable {
  endpoint: string;
  tableName: string;
}

/**
 * Creates a table of the caller's own on the run's DynamoDB Local and points
 * the domain's environment at it. It must run before any domain module is
 * imported, because the entities capture TABLE_NAME and the client its
 * endpoint when first loaded; `env.ts` calls it for every test file.
 */
export const useFreshTable = async (): Promise<TestTable> => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `t_${randomBytes(6).toString('hex')}`;
  await createTable({ endpoint, tableName });
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.TABLE_NAME = tableName;
  process.env.AWS_REGION ??= 'local';
  return { endpoint, tableName };
};

/**
 * Drops the file's table once its tests are done. DynamoDB Local keeps every
 * table (and its stream) of a run in one process; left in place, dozens of
 * them slow every later file down, the isolation property most of all.
 */
export const dropTable = async ({ endpoint, tableName }: TestTable): Promise<void> => {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } finally {
    client.destroy();
  }
};
