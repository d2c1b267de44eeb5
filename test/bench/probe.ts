import { dynamoClient } from '#domain/db/client';
import { methodOf, pathOf, type RouteScenario } from './scenarios.ts';
import { countInto, type Distribution } from './stats.ts';

/**
 * Sends a route a few requests one at a time before its load, and records
 * every DynamoDB command the domain's client sends meanwhile, with its start
 * and end. Requests go one by one and nothing else runs, so each request's
 * commands are exactly its own. Round trips are the longest chain of calls
 * each starting after the previous ended: calls made in parallel count once.
 */
export interface ProbeResult {
  statuses: Distribution;
  dynamoCalls: Distribution;
  authorizerCalls: Distribution;
  /** The commands of each request, e.g. `GetItem, Query, Query gsi1` (an authorizer call would show here too). */
  commands: Distribution;
  roundTrips: Distribution;
  /** The first response body, shortened: shows a probe really did the work (a page of 25, an org). */
  sample: string;
}

interface TracedCall {
  command: string;
  started: number;
  ended: number;
}

let tracing: TracedCall[] | null = null;
let inFlight = 0;
let lastActivity = 0;

/**
 * Watches every command the domain's client sends: counts those in flight
 * (see `waitUntilQuiet`) and, while a probe runs, records them. Added once.
 */
export const installTrace = (() => {
  let installed = false;
  return () => {
    if (installed) return;
    installed = true;
    dynamoClient.middlewareStack.add(
      (next, context) => async (args) => {
        const calls = tracing;
        const started = performance.now();
        inFlight += 1;
        lastActivity = started;
        try {
          return await next(args);
        } finally {
          inFlight -= 1;
          lastActivity = performance.now();
          const input = args.input as { IndexName?: string };
          const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
          calls?.push({ command: input.IndexName ? `${command} ${input.IndexName}` : command, started, ended: lastActivity });
        }
      },
      { step: 'initialize', name: 'benchTrace' },
    );
  };
})();

/**
 * autocannon stops at its deadline and drops its connections, but the
 * requests the server already took keep running. Waits until the handlers
 * have sent no DynamoDB command for `quietMs`, so they neither spill into the
 * next probe's trace nor outlive DynamoDB Local. Gives up after `timeoutMs`.
 */
export const waitUntilQuiet = async (quietMs = 500, timeoutMs = 30_000): Promise<boolean> => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (inFlight === 0 && performance.now() - lastActivity >= quietMs) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
};

const roundTripsOf = (calls: readonly TracedCall[]): number => {
  const sorted = [...calls].sort((a, b) => a.started - b.started);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    const before = sorted.slice(0, i).flatMap((other, j) => (other.ended <= call.started ? [depth[j] ?? 0] : []));
    depth.push(1 + Math.max(0, ...before));
  });
  return Math.max(0, ...depth);
};

export const probeRoute = async (
  scenario: RouteScenario,
  options: { url: string; token: string; requests: number },
): Promise<ProbeResult> => {
  installTrace();
  await waitUntilQuiet();
  const result: ProbeResult = { statuses: {}, dynamoCalls: {}, authorizerCalls: {}, commands: {}, roundTrips: {}, sample: '' };
  for (let i = 0; i < options.requests; i++) {
    const calls: TracedCall[] = [];
    tracing = calls;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${options.url}${pathOf(scenario)}`, {
        method: methodOf(scenario),
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        ...(scenario.body ? { body: JSON.stringify(scenario.body()) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      text = await response.text();
    } finally {
      tracing = null;
    }
    countInto(result.statuses, response.status);
    countInto(result.dynamoCalls, response.headers.get('x-dynamodb-calls') ?? 'none');
    countInto(result.authorizerCalls, response.headers.get('x-dynamodb-calls-authorizer') ?? 'none');
    countInto(
      result.commands,
      calls
        .map((call) => call.command)
        .sort()
        .join(', ') || 'none',
    );
    countInto(result.roundTrips, roundTripsOf(calls));
    if (i === 0) result.sample = summarizeBody(text);
  }
  return result;
};

const summarizeBody = (text: string): string => {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (Array.isArray(body.items)) return `${body.items.length} items${body.nextCursor ? ', more' : ''}`;
    if (typeof body.allowed === 'boolean') return `allowed: ${body.allowed}${body.grant ? ` by ${JSON.stringify(body.grant)}` : ''}`;
    if (typeof body.id === 'string') return `${String(body.kind ?? body.status)} ${body.id}`;
    if (typeof body.title === 'string') return `problem: ${body.title} – ${String(body.detail ?? '')}`;
  } catch {
    // Not JSON: a CSV export says how many rows it held, anything else shows its start.
    if (text.startsWith('invoiceId,')) return `CSV, ${text.split('\r\n').length - 2} rows`;
  }
  return text.slice(0, 120);
};
