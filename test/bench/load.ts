import autocannon from 'autocannon';
import { methodOf, pathOf, type RouteScenario } from './scenarios.ts';
import { countInto, type Distribution, type LatencySummary, SampleBuffer, summarize } from './stats.ts';

/**
 * Drives one route with autocannon for a fixed time. autocannon runs in this
 * process (its `onResponse` hook needs a function, which its worker threads
 * cannot take), so client and server share the event loop, as they do for the
 * floor. Latencies are recorded here at full precision: autocannon's own
 * histogram keeps whole milliseconds, too coarse for a floor of ~1 ms.
 */
export interface LoadResult {
  /** Responses with the expected status. */
  latency: LatencySummary;
  requestsPerSecond: number;
  statuses: Distribution;
  /** Responses whose status was not the scenario's expected one. */
  unexpected: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** `x-dynamodb-calls` and `x-dynamodb-calls-authorizer` of every response. */
  dynamoCalls: Distribution;
  authorizerCalls: Distribution;
}

export interface LoadOptions {
  url: string;
  token: string;
  connections: number;
  durationSeconds: number;
}

const headerValue = (headers: Record<string, unknown> | undefined, name: string): string =>
  String(headers?.[name] ?? headers?.[name.toLowerCase()] ?? 'none');

export const loadRoute = async (scenario: RouteScenario, options: LoadOptions): Promise<LoadResult> => {
  const latencies = new SampleBuffer();
  const statuses: Distribution = {};
  const dynamoCalls: Distribution = {};
  const authorizerCalls: Distribution = {};
  const body = scenario.body;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
        requests: [
          {
            method: methodOf(scenario),
            path: pathOf(scenario),
            headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
            ...(body ? { setupRequest: (request) => ({ ...request, body: JSON.stringify(body()) }) } : {}),
            onResponse: (status, _body, _context, headers) => {
              countInto(statuses, status);
              countInto(dynamoCalls, headerValue(headers, 'x-dynamodb-calls'));
              countInto(authorizerCalls, headerValue(headers, 'x-dynamodb-calls-authorizer'));
            },
          },
        ],
      },
      (error: unknown, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance?.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === scenario.expectedStatus) latencies.push(responseTime);
  });
  const result = await done;
  const responses = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  return {
    latency: summarize(latencies.values),
    requestsPerSecond: responses / result.duration,
    statuses,
    unexpected: responses - (statuses[String(scenario.expectedStatus)] ?? 0),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    dynamoCalls,
    authorizerCalls,
  };
};
