import { randomUUID } from 'node:crypto';
import { createApiGateway } from '#infra/local/api-gateway';
import { createTokenMinter, type MintToken } from '#infra/local/dev-tokens';
import { applyRuntimeEnvironment } from '#infra/local/environment';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { loadLocalSecrets } from '#infra/local/local-secrets';
import type { GatewayRequest } from '#infra/local/proxy-event';

/**
 * The API in process, exactly as the local runtime serves it (route table,
 * REQUEST authorizer with real dev-key tokens, the group handlers as Lambda
 * would run them) minus the HTTP socket, which only costs time here. Each
 * reply reports its DynamoDB calls and writes (`x-dynamodb-writes`).
 */
export interface ApiRequest {
  method: string;
  /** Path as sent on the wire: percent-encoded, without the query. */
  path: string;
  /** Query string without `?`. */
  query?: string;
  headers?: Record<string, string>;
  body?: string | null;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body, when it was JSON (or problem+json). */
  json: unknown;
  /** DynamoDB writes the request made; null when it never reached a function (gateway answers, 401). */
  writes: number | null;
}

export interface InProcessApi {
  call: (request: ApiRequest) => Promise<ApiResponse>;
  mintToken: MintToken;
  /** Requests made through `call` so far. */
  readonly calls: number;
}

const rawHeadersOf = (headers: Record<string, string>): string[] => Object.entries({ Host: 'localhost:3000', ...headers }).flat();

const parseJson = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

let started: Promise<InProcessApi> | undefined;

/**
 * Sets the local runtime's environment over the test file's own table (from
 * test/support/env.ts) and builds the gateway. Once per test file: modules
 * keep the environment they first saw.
 */
export const startInProcessApi = (): Promise<InProcessApi> => {
  started ??= (async () => {
    const secrets = await loadLocalSecrets();
    applyRuntimeEnvironment({
      AUTH_MODE: 'local',
      AWS_REGION: process.env.AWS_REGION ?? 'local',
      DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT ?? '',
      TABLE_NAME: process.env.TABLE_NAME ?? '',
      CURSOR_KEY: secrets.cursorKey,
      LOCAL_JWT_PUBLIC_JWK: JSON.stringify(secrets.publicJwk),
      IMPERSONATION_TOKEN_KEY: secrets.impersonationKey,
    });
    // Imported only now, as the runtime does: route modules may read the environment when loaded.
    const { routes } = await import('#functions/http/routes');
    const gateway = createApiGateway({ routes, lambda: createLambdaRuntime(), reportDynamoDbCalls: true });
    const mintToken = await createTokenMinter(secrets.signingJwk);
    let calls = 0;
    const call = async (request: ApiRequest): Promise<ApiResponse> => {
      calls += 1;
      const gatewayRequest: GatewayRequest = {
        method: request.method,
        path: request.path,
        query: request.query ?? '',
        rawHeaders: rawHeadersOf(request.headers ?? {}),
        body: request.body ?? null,
        sourceIp: '198.51.100.7',
        requestId: randomUUID(),
        receivedAt: new Date(),
        serverPort: 3000,
      };
      const response = await gateway(gatewayRequest);
      const headers = Object.fromEntries(
        Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
      );
      const text = String(response.body);
      const writes = headers['x-dynamodb-writes'];
      return { status: response.statusCode, headers, text, json: parseJson(text), writes: writes === undefined ? null : Number(writes) };
    };
    return {
      call,
      mintToken,
      get calls() {
        return calls;
      },
    };
  })();
  return started;
};
