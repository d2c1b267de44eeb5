import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv, requiredEnv } from '../shared/config.ts';
import { recordCall } from './call-counter.ts';

const endpoint = optionalEnv('DYNAMODB_ENDPOINT');

/** Module scope: one client per Lambda container, reused across invocations. */
export const dynamoClient = new DynamoDBClient({
  ...(endpoint
    ? {
        endpoint,
        region: optionalEnv('AWS_REGION') ?? 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }
    : {}),
  maxAttempts: 3,
});

dynamoClient.middlewareStack.add(
  (next, context) => async (args) => {
    recordCall(String(context.commandName ?? 'unknown'));
    return next(args);
  },
  { step: 'initialize', name: 'countDynamoCalls' },
);

export const documentClient = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: {
    removeUndefinedValues: true,
    convertClassInstanceToMap: false,
  },
});

/** The table name, read when first needed so importing a module never throws. */
export const tableName = (): string => requiredEnv('TABLE_NAME');
