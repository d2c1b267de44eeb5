import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, type GetCommandInput, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InvoiceListingEntity } from '#domain/billing/invoice.entity';
import { OrgEntity } from '#domain/orgs/org.entity';
import { type LatencySummary, SampleBuffer, summarize } from './stats.ts';

/**
 * The floor DESIGN.md measures every route against: a bare DocumentClient
 * GetItem or Query on the same table of the same DynamoDB Local, with nothing
 * around it. The requests are the ones the routes make (built by the entity's
 * `.params()`), sent by a client of our own, so only the route's own work
 * (HTTP, authorizer, validation, authorization) separates a route from its floor.
 */
export type FloorName = 'GetItem' | 'Query children' | 'Query subtree' | 'Query ledger';

export interface FloorResult {
  name: FloorName;
  /** What was sent: the key, or the index and key condition. */
  request: Record<string, unknown>;
  latency: LatencySummary;
  opsPerSecond: number;
  errors: number;
}

export interface FloorTargets {
  customerId: string;
  partnerId: string;
  /** Page size of the list routes, so the floor Query returns what a page does. */
  pageSize: number;
}

interface FloorRequest {
  name: FloorName;
  request: Record<string, unknown>;
  send: (client: DynamoDBDocumentClient) => Promise<unknown>;
}

const getItem = (name: FloorName, input: GetCommandInput): FloorRequest => ({
  name,
  request: { Key: input.Key },
  send: (client) => client.send(new GetCommand(input)),
});

const query = (name: FloorName, input: QueryCommandInput): FloorRequest => ({
  name,
  request: { IndexName: input.IndexName, KeyConditionExpression: input.KeyConditionExpression, Limit: input.Limit },
  send: (client) => client.send(new QueryCommand(input)),
});

/** The customer by its key, a page of the partner's children, a page of its subtree, a page of its invoice ledger. */
export const floorRequests = async ({ customerId, partnerId, pageSize }: FloorTargets): Promise<FloorRequest[]> => {
  const { data: partner } = await OrgEntity.get({ orgId: partnerId }).go();
  if (!partner) throw new Error(`Partner ${partnerId} is not in the table`);
  return [
    getItem('GetItem', OrgEntity.get({ orgId: customerId }).params()),
    query('Query children', OrgEntity.query.children({ parentId: partnerId }).params({ limit: pageSize })),
    query(
      'Query subtree',
      OrgEntity.query
        .subtree({ treeId: partner.treeId })
        .begins({ pathKey: `${partner.pathKey}org_` })
        .params({ limit: pageSize }),
    ),
    // A page of the partner's invoice ledger, newest first: what the invoice list of its whole subtree reads.
    query('Query ledger', InvoiceListingEntity.query.byLedger({ ledgerId: partnerId }).params({ limit: pageSize, order: 'desc' })),
  ];
};

export interface LoopOptions {
  concurrency: number;
  durationMs: number;
}

/** Runs `op` in `concurrency` loops until the deadline; a failing op stops the run after a few hundred errors. */
export const timeLoop = async (op: () => Promise<unknown>, { concurrency, durationMs }: LoopOptions) => {
  const samples = new SampleBuffer();
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline && errors < 500) {
      const t = performance.now();
      try {
        await op();
        samples.push(performance.now() - t);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return { latency: summarize(samples.values), opsPerSecond: (samples.values.length + samples.dropped) / elapsedSeconds, errors };
};

/** Times each floor request for `warmupMs` (thrown away), then for `durationMs`. */
export const measureFloors = async (
  endpoint: string,
  targets: FloorTargets,
  options: LoopOptions & { warmupMs: number },
): Promise<FloorResult[]> => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 }),
  );
  try {
    const results: FloorResult[] = [];
    for (const request of await floorRequests(targets)) {
      const send = () => request.send(client);
      if (options.warmupMs > 0) await timeLoop(send, { ...options, durationMs: options.warmupMs });
      const measured = await timeLoop(send, options);
      results.push({ name: request.name, request: request.request, ...measured });
    }
    return results;
  } finally {
    client.destroy();
  }
};
