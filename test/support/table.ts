import { randomBytes } from 'node:crypto';
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
