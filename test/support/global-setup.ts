import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import './provided-context.ts';

/**
 * One DynamoDB Local for the whole run (the JVM takes seconds to start, a
 * table milliseconds): every test file gets its own table on it instead.
 * Runs only when a project that needs DynamoDB has files to run.
 */
export default async function startDynamoDbForTests({ provide }: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal();
  provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
