import { type RouteId, routeById } from '#functions/http/routes';
import type { FloorName } from './floor.ts';

/**
 * The routes the bench drives, one entry each: adding a scenario is adding an
 * entry. Paths come from the route table, so a renamed route fails here
 * rather than silently benchmarking a 404.
 */
export interface BenchTargets {
  partnerId: string;
  customerId: string;
  partnerAdminUserId: string;
  /** Makes created names unique across runs on a kept table. */
  runId: string;
  /** An invoice of the bench partner's subtree; null when no invoices were seeded (the billing scenarios are left out). */
  invoiceId: string | null;
}

export interface RouteScenario {
  name: string;
  routeId: RouteId;
  pathParams: Record<string, string>;
  query?: Record<string, string>;
  /** A fresh body for every request (creates need unique sibling names). */
  body?: () => unknown;
  expectedStatus: number;
  /** The floor its p50 is divided by: GetItem for single reads and writes, the Query it pages for lists. */
  floor: FloorName;
  /** What the design promises for the handler: DynamoDB calls, sequential round trips, and which. */
  promise: { calls: number; roundTrips: number; what: string };
}

/** Page size of the list scenarios, and of the floor Queries they are compared with. */
export const pageSize = 25;

export const routeScenarios = (t: BenchTargets): RouteScenario[] => {
  let created = 0;
  return [
    {
      name: 'GET org',
      routeId: 'getOrg',
      pathParams: { orgId: t.customerId },
      expectedStatus: 200,
      floor: 'GetItem',
      promise: { calls: 2, roundTrips: 1, what: 'GetItem org + Query grants, in parallel' },
    },
    {
      name: 'list children',
      routeId: 'listChildOrgs',
      pathParams: { orgId: t.partnerId },
      query: { limit: String(pageSize) },
      expectedStatus: 200,
      floor: 'Query children',
      promise: { calls: 3, roundTrips: 1, what: 'GetItem + Query grants + Query page, in parallel' },
    },
    {
      name: 'list descendants',
      routeId: 'listDescendantOrgs',
      pathParams: { orgId: t.partnerId },
      query: { limit: String(pageSize) },
      expectedStatus: 200,
      floor: 'Query subtree',
      promise: { calls: 3, roundTrips: 2, what: 'GetItem + Query grants, then Query subtree' },
    },
    {
      name: 'explain access',
      routeId: 'explainAccess',
      pathParams: { orgId: t.customerId },
      query: { userId: t.partnerAdminUserId, permission: 'org:update' },
      expectedStatus: 200,
      floor: 'GetItem',
      promise: { calls: 3, roundTrips: 1, what: "GetItem + caller's and subject's grants, in parallel" },
    },
    {
      name: 'create child',
      routeId: 'createChildOrg',
      pathParams: { orgId: t.partnerId },
      body: () => ({ kind: 'customer', name: `Bench load ${t.runId} ${created++}` }),
      expectedStatus: 201,
      floor: 'GetItem',
      promise: { calls: 3, roundTrips: 2, what: 'GetItem + Query grants, then TransactWriteItems' },
    },
    ...(t.invoiceId ? billingScenarios(t, t.invoiceId) : []),
  ];
};

/** A partner's whole subtree's invoices (one ledger Query per page), by date range, as CSV, and one invoice. */
const billingScenarios = (t: BenchTargets, invoiceId: string): RouteScenario[] => [
  {
    name: 'list invoices',
    routeId: 'listInvoices',
    pathParams: { orgId: t.partnerId },
    query: { limit: String(pageSize) },
    expectedStatus: 200,
    floor: 'Query ledger',
    promise: { calls: 3, roundTrips: 1, what: 'GetItem + Query grants + Query ledger, in parallel' },
  },
  {
    name: 'invoices by date',
    routeId: 'listInvoices',
    pathParams: { orgId: t.partnerId },
    query: { limit: String(pageSize), from: '2025-04-01', to: '2025-06-30', status: 'paid' },
    expectedStatus: 200,
    floor: 'Query ledger',
    promise: { calls: 3, roundTrips: 1, what: 'GetItem + Query grants + Query ledger (dates in the key, status filtered), in parallel' },
  },
  {
    name: 'get invoice',
    routeId: 'getInvoice',
    pathParams: { invoiceId },
    expectedStatus: 200,
    floor: 'GetItem',
    promise: { calls: 3, roundTrips: 2, what: 'GetItem invoice + Query grants, then BatchGet customer and issuer' },
  },
  {
    name: 'export invoices',
    routeId: 'exportInvoices',
    pathParams: { orgId: t.partnerId },
    query: { from: '2026-01-01', to: '2026-03-31' },
    expectedStatus: 200,
    floor: 'Query ledger',
    promise: { calls: 3, roundTrips: 1, what: 'GetItem + Query grants + Query ledger (up to 1,000 rows a Query), in parallel' },
  },
];

export const methodOf = (scenario: RouteScenario) => {
  const route = routeById(scenario.routeId);
  if (!route) throw new Error(`No route ${scenario.routeId} in the route table`);
  return route.method;
};

export const pathOf = (scenario: RouteScenario): string => {
  const route = routeById(scenario.routeId);
  if (!route) throw new Error(`No route ${scenario.routeId} in the route table`);
  const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = scenario.pathParams[name];
    if (value === undefined) throw new Error(`Scenario ${scenario.name} names no ${name} for ${route.path}`);
    return encodeURIComponent(value);
  });
  return scenario.query ? `${path}?${new URLSearchParams(scenario.query)}` : path;
};
