import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type CallCount, countCalls } from '#domain/db/call-counter';

/** A Lambda function of the stack: a route group, the authorizer, later the audit consumer. */
export interface FunctionRef {
  name: string;
  /** Module (relative to the repo root) whose `handler` export is the function's handler. */
  entry: string;
}

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export type Invocation = { kind: 'returned'; value: unknown; calls: CallCount } | { kind: 'threw'; error: unknown } | { kind: 'timed-out' };

export interface LambdaRuntimeOptions {
  /** Run the esbuild bundles `cdk synth` produced instead of the sources, laid out as `bundleFileOf` says. */
  bundlesDir?: string;
  /** Or name each function's bundle file directly (e.g. from cdk.out's asset metadata); wins over `bundlesDir`. */
  resolveBundle?: (fn: FunctionRef) => string;
  /** API Gateway gives up on an integration after 29 s; so does the local one. */
  timeoutMs?: number;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where a function's bundle lies inside `bundlesDir`. The one place that knows
 * the bundle layout: change it here if the bundling step lays files out otherwise.
 */
export const bundleFileOf = (bundlesDir: string, fn: FunctionRef): string => join(resolve(bundlesDir), fn.name, 'index.mjs');

/** Bundles when configured, else the TypeScript source the entry names (run by tsx or vitest). */
const moduleFileOf = (fn: FunctionRef, options: LambdaRuntimeOptions): string => {
  if (options.resolveBundle) return resolve(options.resolveBundle(fn));
  if (options.bundlesDir) return bundleFileOf(options.bundlesDir, fn);
  return resolve(repoRoot, fn.entry);
};

const handlerExportOf = (module: Record<string, unknown>, url: string): LambdaHandler => {
  const fromDefault = module.default as Record<string, unknown> | undefined;
  // A CommonJS bundle shows its exports as `default` when imported from ESM.
  const handler = module.handler ?? fromDefault?.handler;
  if (typeof handler !== 'function') throw new Error(`${url} has no exported \`handler\` function`);
  return handler as LambdaHandler;
};

const functionNameOf = (fn: FunctionRef): string => `partner-portal-local-${fn.name}`;

/** The ARN a function has locally: what its context says it was invoked as, and what a failure record names. */
export const localFunctionArn = (fn: FunctionRef): string => `arn:aws:lambda:local:000000000000:function:${functionNameOf(fn)}`;

const contextOf = (fn: FunctionRef, deadline: number): Context => {
  const functionName = functionNameOf(fn);
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('Callback-style completion is not supported: return a promise from the handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(fn),
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${today}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

/**
 * Stands in for Lambda: loads each function's module once (lazily, like a
 * cold start) and invokes its handler with a Lambda context, counting the
 * DynamoDB calls it makes. All functions share this process, so they share
 * module state that separate Lambdas would not; nothing relies on either.
 */
export const createLambdaRuntime = (options: LambdaRuntimeOptions = {}) => {
  const timeoutMs = options.timeoutMs ?? 29_000;
  const loaded = new Map<string, Promise<LambdaHandler>>();

  /** The seam between source and bundles: everything else goes through here. */
  const loadHandler = (fn: FunctionRef): Promise<LambdaHandler> => {
    const url = pathToFileURL(moduleFileOf(fn, options)).href;
    let handler = loaded.get(url);
    if (!handler) {
      handler = import(url).then((module: Record<string, unknown>) => handlerExportOf(module, url));
      // Forget a failed load, so a module that was missing at start (a group still being written) loads once it exists.
      handler.catch(() => loaded.delete(url));
      loaded.set(url, handler);
    }
    return handler;
  };

  const invoke = async (fn: FunctionRef, event: unknown): Promise<Invocation> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = await loadHandler(fn);
      const deadline = Date.now() + timeoutMs;
      const run = countCalls(() => handler(event, contextOf(fn, deadline))).then(
        ({ result, calls }): Invocation => ({ kind: 'returned', value: result, calls }),
      );
      // A handler that fails after its timeout has been answered must not surface as an unhandled rejection.
      run.catch(() => undefined);
      const timeout = new Promise<Invocation>((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout({ kind: 'timed-out' }), timeoutMs);
      });
      return await Promise.race([run, timeout]);
    } catch (error) {
      return { kind: 'threw', error };
    } finally {
      clearTimeout(timer);
    }
  };

  return { loadHandler, invoke, timeoutMs };
};

export type LambdaRuntime = ReturnType<typeof createLambdaRuntime>;
