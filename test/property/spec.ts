import type { RouteId } from '#functions/http/routes';
import type { Access, Model, Principal } from './model/model.ts';
import type { Permission } from './model/rules.ts';
import { nameKey } from './model/rules.ts';
import type { ApiResponse } from './support/api.ts';
import type { Picker } from './support/picker.ts';
import type { CallerRef, World } from './world.ts';

/**
 * The per-route half of the isolation property. The runner does what every
 * route shares (authentication, validation against the route table's
 * schemas, Idempotency-Key replays, the route's permission on its target org,
 * the 404/403 split, "refused means nothing written", and that no org outside
 * the caller's sight appears in an answer); a spec adds what is particular
 * to its route: how to build a random request, and what the model expects once
 * the caller holds the route's permission.
 *
 * Adding a route to the property test is adding one entry to `routeSpecs`
 * (specs/index.ts); a test fails while a route of the route table has none.
 */

/** A request as a builder describes it; the runner turns it into HTTP. */
export interface BuiltRequest {
  /** Path parameters, raw (may be malformed on purpose); the runner percent-encodes them. */
  params: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON body; undefined sends none. */
  body?: unknown;
  /** `if-match`, `idempotency-key`: sent as given. */
  headers?: Record<string, string>;
  /** Lists: follow `nextCursor` to the last page. */
  walk?: boolean;
}

/** The same request after the route table's schemas parsed it (names trimmed, emails lowercased, numbers coerced). */
export interface ParsedCall {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  ifMatch: number | null;
  idempotencyKey: string | null;
  walk: boolean;
}

export interface Ctx {
  world: World;
  model: Model;
  caller: CallerRef;
  /** Who the authorizer resolves the caller to; null when it refuses them (no token, forged token). */
  principal: Principal | null;
}

/** Everything a spec's `accept` may use besides the answer. */
export interface AcceptTools {
  /** Fetches the next page of the same list, as the same caller (counted as a follow-up call, not a generated one). */
  page: (cursor: string) => Promise<ApiResponse>;
  /** Keeps a cursor the API handed out, so later calls can reuse it elsewhere. Applied after the step, in step order. */
  rememberCursor: (binding: string, cursor: string) => void;
}

/** What the model expects of a call once the route's permission on its target is granted. */
export interface Outcome {
  /** The statuses the product may answer; one when the rules leave no choice. */
  statuses: readonly number[];
  /** Checks a 2xx answer; for a mutation, applies it to the model too. Throws on a disagreement. */
  accept?: (response: ApiResponse, tools: AcceptTools) => void | Promise<void>;
  /** A success changes the model: the call then runs alone, never beside other calls. */
  mutates?: boolean;
  /** What an Idempotency-Key replay of this success answers, when not the very same body (a key's secret is shown once). */
  replayBody?: (json: unknown) => unknown;
}

export interface RouteSpec {
  /** Relative share of generated calls. */
  weight: number;
  build: (ctx: Ctx, pick: Picker) => BuiltRequest;
  /** The org the route's permission is checked on (default: the `orgId` path parameter); `ctx` for routes whose target is found through the model (an application's channel). */
  target?: (call: ParsedCall, ctx: Ctx) => string;
  /**
   * The answer is history (the audit log): it may name orgs as they were when
   * each entry was written (since moved elsewhere, or deleted), so the
   * runner's check against what the caller sees now does not apply; the
   * spec checks instead that every entry was written within the target's subtree.
   */
  historical?: boolean;
  /** The permission checked, when the request decides it (default: the route table's). */
  permission?: (call: ParsedCall) => Permission;
  /**
   * Routes authorized otherwise than by the route's permission on one org. A bare answer is judged on
   * `target` (the client portal, where a requester grant may let a caller in); an answer with its target
   * replaces `target` and the runner's own check, for a route addressed to something other than an org
   * (`/v1/services/{serviceId}…`, `/v1/invoices/{id}`: a 404 must read the same whichever id it is about).
   * `permission` is the route's (null for routes without one).
   */
  access?: (ctx: Ctx, call: ParsedCall, permission: Permission | null) => Access | { access: Access; target: string };
  /** Lists whose cursor is bound to the list: the binding a valid cursor must carry. */
  cursorBinding?: (call: ParsedCall) => string;
  /** The rules behind the permission check: statuses, and what a success must look like. */
  allowed: (ctx: Ctx, call: ParsedCall) => Outcome;
}

export type RouteSpecs = { readonly [Id in RouteId]: RouteSpec };

/** A disagreement between the product and the model; `bug` when it is the symptom of a known product bug. */
export class ModelMismatch extends Error {
  override readonly name = 'ModelMismatch';
  constructor(
    message: string,
    readonly bug?: string,
  ) {
    super(message);
  }
}

export const mismatch = (message: string, bug?: string): never => {
  throw new ModelMismatch(message, bug);
};

/**
 * The refusals a call has earned by the route's rules, in any order: the
 * product may answer any of them, except that a permission refusal (403, or
 * 404 for another org out of sight) beats a conflict, since a 409 tells about
 * state (a name taken, a subscription's state) the caller may not be entitled to.
 */
export const fail = (statuses: readonly number[]): Outcome => {
  const permission = statuses.some((status) => status === 403 || status === 404);
  return { statuses: permission ? statuses.filter((status) => status !== 409) : statuses };
};

/** Strictly equal as JSON (key order ignored). */
export const sameJson = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);

export const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** Fails unless `actual` holds every field of `expected` with the same value. */
export const expectFields = (what: string, actual: unknown, expected: Record<string, unknown>): void => {
  const record = (actual ?? {}) as Record<string, unknown>;
  const wrong = Object.entries(expected).filter(([key, value]) => !sameJson(record[key], value));
  if (wrong.length > 0) {
    mismatch(
      `${what}: ${wrong.map(([key, value]) => `${key} is ${JSON.stringify(record[key])}, the model says ${JSON.stringify(value)}`).join('; ')}`,
    );
  }
};

/* ---------- shared request builders ---------- */

const idPattern = /^org_[0-9a-z]{1,40}$/;

/** Ids that are not ids at all: each must be a 400 whoever asks. */
export const malformedOrgIds = ['ORG_A1', 'org_A1', 'org_', 'org-a1', 'usr_a1', 'org_a1/x', 'org_a1 ', `org_${'a'.repeat(41)}`, 'org_a1;'];
export const malformedUserIds = ['USR_1', 'usr_', 'org_a1', 'usr_1/2', 'usr_-1'];

/**
 * A target org: often one in the caller's sight (so calls get past the scope
 * check and change things), as often any org of any branch, sometimes one that
 * was deleted, an id one character away from a real one (org_a1 → org_a10),
 * or a malformed one.
 */
export const pickOrgId = (ctx: Ctx, pick: Picker): string => {
  const { model } = ctx;
  const existing = [...model.orgs.keys()];
  const inSight = existing.filter((id) => model.covering(ctx.principal, id).length > 0);
  return pick.weighted([
    [inSight.length > 0 ? 35 : 0, () => pick.one(inSight)],
    [40, () => pick.one(existing)],
    [6, () => (model.goneOrgIds.size > 0 ? pick.one([...model.goneOrgIds]) : pick.one(existing))],
    [
      15,
      () => {
        const near = pick.one(existing);
        const candidates = [`${near}0`, `${near}1`, `${near}a`, near.slice(0, -1), `${near}00`].filter(
          (id) => idPattern.test(id) && !model.orgs.has(id),
        );
        return candidates.length > 0 ? pick.one(candidates) : 'org_zz';
      },
    ],
    [4, () => pick.one(malformedOrgIds)],
  ]);
};

/** A user id: a member of `orgId`, any known user, an unknown user, or a malformed id. */
export const pickUserId = (model: Model, pick: Picker, orgId: string): string => {
  const here = model.membersOf(orgId).map((m) => m.userId);
  return pick.weighted([
    [here.length > 0 ? 50 : 0, () => pick.one(here)],
    [28, () => pick.one(model.userIds())],
    [17, () => pick.one(['usr_0', 'usr_a1', 'usr_a10', 'usr_zz'])],
    [5, () => pick.one(malformedUserIds)],
  ]);
};

/** `If-Match` for a resource at `version` (undefined when the target does not exist). */
export const pickIfMatch = (pick: Picker, version: number | undefined): Record<string, string> => {
  const current = version ?? 1;
  return pick.weighted<Record<string, string>>([
    [50, () => ({})],
    [25, () => ({ 'if-match': `"${current}"` })],
    [5, () => ({ 'if-match': `W/"${current}"` })],
    [15, () => ({ 'if-match': `"${current + pick.one([-1, 1, 7])}"` })],
    [5, () => ({ 'if-match': pick.one(['abc', '"v1"', '*', '"1", "2"']) })],
  ]);
};

/** `Idempotency-Key` on a create: usually none, else from a small pool so keys repeat; rarely malformed. */
export const pickIdempotencyKey = (pick: Picker): Record<string, string> =>
  pick.weighted<Record<string, string>>([
    [62, () => ({})],
    [35, () => ({ 'idempotency-key': pick.one(['k1', 'k2', 'k3']) })],
    [3, () => ({ 'idempotency-key': pick.one(['has space', 'é', 'x'.repeat(256)]) })],
  ]);

/** Name prefixes for `q`, in the shapes people type them. */
export const queryPrefixes = ['a', 'Ac', 'ACME', 'acme 1', 'Acme  10', ' b ', 'Acme1', 'z'];

/** List filters and paging: any mix of kind, status, q, limit, and now and then a cursor handed out for some list. */
export const pickListQuery = (model: Model, pick: Picker, withFilters: boolean): Record<string, string> => {
  const query: Record<string, string> = {};
  if (withFilters) {
    if (pick.chance(20)) query.kind = pick.one(['channel', 'partner', 'customer', 'platform']);
    if (pick.chance(15)) query.status = pick.one(['active', 'suspended']);
    if (pick.chance(15)) query.q = pick.one(queryPrefixes);
  }
  const limit = pick.weighted<string | undefined>([
    [50, () => undefined],
    [35, () => String(pick.int(1, 3))],
    [15, () => '100'],
  ]);
  if (limit) query.limit = limit;
  if (pick.chance(8) && model.cursors.length > 0) query.cursor = pick.one(model.cursors).cursor;
  return query;
};

/** The list a cursor belongs to, as the model names it. */
export const listBinding = (list: string, orgId: string, query: Record<string, unknown>): string =>
  [list, orgId, query.kind ?? '', query.status ?? '', typeof query.q === 'string' ? nameKey(query.q) : ''].join('|');

/**
 * Now and then, the caller's earlier successful create under an
 * Idempotency-Key again: the very same request (a replay), or the same key
 * with another body (a 422).
 */
export const repeatEarlierCreate = (
  ctx: Ctx,
  pick: Picker,
  routeId: string,
  alter: (body: Record<string, unknown>) => Record<string, unknown>,
): BuiltRequest | undefined => {
  const mine = [...ctx.model.idempotency.entries()]
    .filter(([scope, record]) => record.routeId === routeId && scope.startsWith(`${ctx.principal?.principalId ?? '-'}|`))
    .map(([, record]) => record.request);
  if (mine.length === 0 || !pick.chance(35)) return undefined;
  const earlier = pick.one(mine);
  if (pick.chance(75)) return { ...earlier };
  return { ...earlier, body: alter({ ...(earlier.body as Record<string, unknown>) }) };
};
