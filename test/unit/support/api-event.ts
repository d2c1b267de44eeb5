import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** A REST proxy event as API Gateway hands it to a group's Lambda after the authorizer ran. */
export const apiEvent = (input: {
  method: string;
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  principalId?: string;
}): APIGatewayProxyEvent => {
  const path = Object.entries(input.pathParameters ?? {}).reduce((p, [k, v]) => p.replace(`{${k}}`, v), input.resource);
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers: { 'Content-Type': 'application/json', ...(input.headers ?? {}) },
    multiValueHeaders: {},
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'unit',
      authorizer:
        input.principalId === undefined
          ? null
          : { principalId: input.principalId, userId: input.principalId, principalType: 'user', email: 'unit@test' },
      httpMethod: input.method,
      identity: { sourceIp: '203.0.113.9' } as APIGatewayProxyEvent['requestContext']['identity'],
      path,
      protocol: 'HTTP/1.1',
      requestId: 'req-unit',
      requestTimeEpoch: 0,
      resourceId: 'r',
      resourcePath: input.resource,
      stage: 'unit',
    },
  };
};

export const lambdaContext = {
  awsRequestId: 'req-unit',
  functionName: 'unit',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:unit',
  memoryLimitInMB: '256',
  logGroupName: 'unit',
  logStreamName: 'unit',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;
