import { join, resolve } from 'node:path';
import { createApiGateway } from './api-gateway.ts';
import { authorizerFunction } from './authorizer-invocation.ts';
import { createTokenMinter, type MintToken, tokenEndpoint } from './dev-tokens.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { applyRuntimeEnvironment } from './environment.ts';
import { type HttpServer, startHttpServer } from './http-server.ts';
import { createLambdaRuntime, type FunctionRef } from './lambda-runtime.ts';
import { loadLocalSecrets } from './local-secrets.ts';
import { type StartStreamPoller, type StreamPoller, startStreamPoller } from './stream-poller.ts';
import type { StreamPollerStats } from './stream-poller-stats.ts';
import { createTable } from './table.ts';

/** What a seed hook gets: the table is there, the environment set, the handlers loaded; HTTP is not up yet. */
export interface LocalRuntimeContext {
  endpoint: string;
  tableName: string;
  mintToken: MintToken;
}

export interface LocalRuntimeOptions {
  /** HTTP port; 0 picks a free one (tests). Default 3000. */
  port?: number;
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** Use this DynamoDB instead of starting DynamoDB Local. Default: DYNAMODB_ENDPOINT, if set. */
  dynamoEndpoint?: string;
  /** Port for the DynamoDB Local this runtime starts; 0 or undefined picks a free one. */
  dynamoPort?: number;
  /** Keep DynamoDB data, the dev signing key and the cursor key here; all in memory when undefined. */
  dataDir?: string;
  /** Default: TABLE_NAME, if set, else `partner-portal`. */
  tableName?: string;
  /** Runs before HTTP is served, so no request ever sees a half-seeded table. */
  seed?: (ctx: LocalRuntimeContext) => Promise<void>;
  /** Serve the bundles `cdk synth` produced instead of the sources (see `bundleFileOf`). */
  bundlesDir?: string;
  /** Or name each function's bundle file directly; wins over `bundlesDir`. */
  resolveBundle?: (fn: FunctionRef) => string;
  /** Reads the table's stream and hands records to the audit function; replaceable in tests. */
  streamPoller?: StartStreamPoller;
  /** Receives one line per request and the runtime's notices; silent when undefined. */
  log?: (line: string) => void;
}

export interface LocalRuntime {
  /** Base URL of the API, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The DynamoDB endpoint in use. */
  endpoint: string;
  tableName: string;
  mintToken: MintToken;
  /**
   * Resolves once every change made so far has reached the audit consumer (see
   * StreamPoller.drained). While the stream is paused it waits: it resolves
   * only after `resumeStream()`, once the backlog is through.
   */
  drained(): Promise<void>;
  /** Holds the stream back from the audit consumer (a disabled event source mapping); resolves once no batch is in flight. */
  pauseStream(): Promise<void>;
  /** Lets the stream flow again, from where it stopped. */
  resumeStream(): void;
  /** While paused: passes over what the stream holds now, unaudited (see StreamPoller.skip); answers how many records. */
  skipStream(): Promise<number>;
  /** What the stream poller has handed the audit consumer so far: records, invocations, DynamoDB calls. */
  streamStats(): StreamPollerStats;
  /** Stops HTTP, the stream poller and the DynamoDB Local this runtime started (never one it was given). */
  stop(): Promise<void>;
}

/**
 * Starts the whole stack on this machine: DynamoDB Local (unless given an
 * endpoint), the table from the shared definition, the environment the
 * handlers read in local mode, the stream poller, the seed, and the HTTP
 * stand-in for API Gateway over the route table. Order matters: the
 * environment is set before any handler or domain module is imported.
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions = {}): Promise<LocalRuntime> => {
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const tableName = options.tableName ?? process.env.TABLE_NAME ?? 'partner-portal';
  const givenEndpoint = options.dynamoEndpoint ?? process.env.DYNAMODB_ENDPOINT;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };

  try {
    const secrets = await loadLocalSecrets(dataDir);
    let endpoint = givenEndpoint;
    if (!endpoint) {
      const dynamo: DynamoDbLocal = await startDynamoDbLocal({
        ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
        ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}),
      });
      stops.push(dynamo.stop);
      endpoint = dynamo.endpoint;
      log(`DynamoDB Local started on ${endpoint}${dataDir ? ` (data in ${dataDir})` : ' (in memory)'}`);
    }
    const table = await createTable({ endpoint, tableName });

    applyRuntimeEnvironment({
      AUTH_MODE: 'local',
      AWS_REGION: 'local',
      DYNAMODB_ENDPOINT: endpoint,
      TABLE_NAME: tableName,
      CURSOR_KEY: secrets.cursorKey,
      LOCAL_JWT_PUBLIC_JWK: JSON.stringify(secrets.publicJwk),
      IMPERSONATION_TOKEN_KEY: secrets.impersonationKey,
    });

    // Imported only now: the route table's modules may read the environment when loaded.
    const { groups, routes } = await import('#functions/http/routes');
    const lambda = createLambdaRuntime({
      ...(options.bundlesDir ? { bundlesDir: options.bundlesDir } : {}),
      ...(options.resolveBundle ? { resolveBundle: options.resolveBundle } : {}),
    });
    // Cold-start every function up front so a broken module shows at start; a failure stays logged and answers 502.
    await Promise.all(
      [authorizerFunction, ...Object.values(groups)].map((fn) =>
        lambda.loadHandler(fn).catch((error: unknown) => console.error(`[local api] function ${fn.name} failed to load`, error)),
      ),
    );

    const poller: StreamPoller = await (options.streamPoller ?? startStreamPoller)({
      endpoint,
      tableName,
      streamArn: table.streamArn,
      lambda,
      log,
      // Without a DATA_DIR the poller makes a temp folder on the first failure (and logs where) and keeps no checkpoints.
      ...(dataDir ? { deadLetterDir: join(dataDir, 'audit-dead-letters'), checkpointFile: join(dataDir, 'stream-checkpoints.json') } : {}),
    });
    stops.push(poller.stop);

    const mintToken = await createTokenMinter(secrets.signingJwk);
    await options.seed?.({ endpoint, tableName, mintToken });

    const gateway = createApiGateway({
      routes,
      lambda,
      localRoutes: [{ method: 'POST', path: '/local/token', handle: tokenEndpoint(mintToken) }],
      reportDynamoDbCalls: true,
      throttleRoutes: true,
    });
    const server: HttpServer = await startHttpServer({
      port: options.port ?? 3000,
      ...(options.host ? { host: options.host } : {}),
      gateway,
      accessLog: log,
    });
    stops.push(server.close);

    return {
      url: server.url,
      endpoint,
      tableName,
      mintToken,
      drained: () => poller.drained(),
      pauseStream: () => poller.pause(),
      resumeStream: () => poller.resume(),
      skipStream: () => poller.skip(),
      streamStats: () => poller.stats(),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
