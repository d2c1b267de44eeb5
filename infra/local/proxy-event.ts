import type {
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayProxyEventHeaders,
  APIGatewayProxyEventMultiValueHeaders,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';

/** An HTTP request as the local API Gateway received it, before any routing. */
export interface GatewayRequest {
  method: string;
  /** The path as sent: still percent-encoded, no query string. */
  path: string;
  /** The query string as sent, without `?`; empty when there is none. */
  query: string;
  /** Node's `rawHeaders`: name, value, name, value…, names in the case the client sent. */
  rawHeaders: string[];
  body: string | null;
  sourceIp: string;
  /** API Gateway's request id, also sent back as `x-amzn-requestid`. */
  requestId: string;
  receivedAt: Date;
  serverPort: number;
}

/** What routing found: the resource template and its decoded path parameters. */
export interface RouteTarget {
  resource: string;
  pathParameters: Record<string, string> | null;
}

export const localStage = 'local';
const accountId = '000000000000';
const apiId = 'local';

/**
 * Single- and multi-value headers as API Gateway builds them: names keep the
 * client's case, the single-value map holds the last value of a repeated header.
 * API Gateway adds the X-Forwarded-* headers and a trace id (derived from the
 * request id here, so the authorizer and the handler see the same one).
 */
export const headersOf = (request: GatewayRequest) => {
  const multiValueHeaders: APIGatewayProxyEventMultiValueHeaders = {};
  const headers: APIGatewayProxyEventHeaders = {};
  const add = (name: string, value: string) => {
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
    headers[name] = value;
  };
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) add(request.rawHeaders[i] ?? '', request.rawHeaders[i + 1] ?? '');
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  const epochHex = Math.floor(request.receivedAt.getTime() / 1000).toString(16);
  const added: [string, string][] = [
    ['X-Forwarded-For', request.sourceIp],
    ['X-Forwarded-Port', String(request.serverPort)],
    ['X-Forwarded-Proto', 'http'],
    ['X-Amzn-Trace-Id', `Root=1-${epochHex}-${request.requestId.replaceAll('-', '').slice(0, 24)}`],
  ];
  for (const [name, value] of added) if (!present.has(name.toLowerCase())) add(name, value);
  return { headers, multiValueHeaders };
};

/** API Gateway decodes the query (`+` included) and sends null, not `{}`, when there is none. */
export const queryOf = (query: string) => {
  const params = new URLSearchParams(query);
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of params) {
    multi[name] = [...(multi[name] ?? []), value];
    single[name] = value;
  }
  const none = Object.keys(single).length === 0;
  return { queryStringParameters: none ? null : single, multiValueQueryStringParameters: none ? null : multi };
};

/** `09/Apr/2015:12:34:56 +0000`, the format of `requestContext.requestTime`. */
const requestTime = (date: Date): string => {
  const [, day, month, year, time] = /^\w+, (\d\d) (\w+) (\d+) ([\d:]+)/.exec(date.toUTCString()) ?? [];
  return `${day}/${month}/${year}:${time} +0000`;
};

const requestContextOf = <A>(
  request: GatewayRequest,
  target: RouteTarget,
  authorizer: A,
): APIGatewayEventRequestContextWithAuthorizer<A> => {
  const headerValue = (name: string): string | null => {
    const index = request.rawHeaders.findIndex((value, i) => i % 2 === 0 && value.toLowerCase() === name);
    return index < 0 ? null : (request.rawHeaders[index + 1] ?? null);
  };
  const host = headerValue('host');
  return {
    accountId,
    apiId,
    authorizer,
    protocol: 'HTTP/1.1',
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: headerValue('user-agent'),
      userArn: null,
    },
    path: `/${localStage}${request.path}`,
    stage: localStage,
    requestId: request.requestId,
    extendedRequestId: request.requestId,
    requestTime: requestTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt.getTime(),
    resourceId: apiId,
    resourcePath: target.resource,
    ...(host ? { domainName: host, domainPrefix: host.split('.')[0] ?? host } : {}),
  };
};

/** The ARN API Gateway hands the authorizer: `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}{path}`. */
export const methodArnOf = (request: GatewayRequest): string =>
  `arn:aws:execute-api:local:${accountId}:${apiId}/${localStage}/${request.method}${request.path}`;

/** The event of a REQUEST authorizer: the request as the handler will see it, minus the body. */
export const buildAuthorizerEvent = (request: GatewayRequest, target: RouteTarget): APIGatewayRequestAuthorizerEvent => ({
  type: 'REQUEST',
  methodArn: methodArnOf(request),
  resource: target.resource,
  path: request.path,
  httpMethod: request.method,
  ...headersOf(request),
  ...queryOf(request.query),
  pathParameters: target.pathParameters,
  stageVariables: null,
  requestContext: requestContextOf(request, target, undefined),
});

/** The Lambda proxy integration event (REST API, payload 1.0), with the authorizer's result in the request context. */
export const buildProxyEvent = (
  request: GatewayRequest,
  target: RouteTarget,
  authorizer: Record<string, string | number> | null,
): APIGatewayProxyEvent => ({
  resource: target.resource,
  path: request.path,
  httpMethod: request.method,
  ...headersOf(request),
  ...queryOf(request.query),
  pathParameters: target.pathParameters,
  stageVariables: null,
  requestContext: requestContextOf(request, target, authorizer),
  body: request.body,
  isBase64Encoded: false,
});
