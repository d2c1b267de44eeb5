import fc from 'fast-check';
import type { ZodType } from 'zod';
import type { RouteDef } from '#functions/http/route-table-types';
import { type RouteId, routes } from '#functions/http/routes';
import { knownBugOf, type Seen } from './known-bugs.ts';
import type { Principal } from './model/model.ts';
import {
  type AcceptTools,
  type BuiltRequest,
  type Ctx,
  ModelMismatch,
  mismatch,
  type Outcome,
  type ParsedCall,
  type RouteSpec,
  type RouteSpecs,
  sameJson,
  stableJson,
} from './spec.ts';
import type { ApiRequest, ApiResponse } from './support/api.ts';
import { Picker } from './support/picker.ts';
import type { CallerRef, World } from './world.ts';

/** The random choices of one generated call; the runner and the route's spec turn them into a request. */
export type Step = readonly number[];
export const stepArb: fc.Arbitrary<Step> = fc.array(fc.nat(), { minLength: 16, maxLength: 16 });

/** Calls with no effect on the model run side by side, this many at a time. */
const parallelism = 12;

/** Statuses that refuse a call before anything may be written. */
const refusals = [400, 401, 403, 404];

interface Prepared {
  index: number;
  route: RouteDef;
  spec: RouteSpec;
  ctx: Ctx;
  built: BuiltRequest;
  parsed: ParsedCall | null;
  request: ApiRequest;
  outcome: Outcome;
  /** Which rule set the expectation, for failure reports. */
  reason: string;
  /** The org the route's permission is checked on, once the request parsed. */
  target: string | null;
  /** Set when a 404 must look exactly like the one for a missing org: the id to blank out before comparing. */
  scopeTarget?: string;
  /** Runs alone: it may change the model. */
  solo: boolean;
  /** The caller's Idempotency-Key: never two calls holding the same one side by side (the second would find it locked). */
  lock?: string;
  /** An Idempotency-Key replay: it repeats an earlier answer, so what it names was in sight when first answered. */
  replay?: boolean;
  /** For a 403 the model expects: the problem type it must carry (a restriction names itself). */
  forbiddenType?: 'forbidden' | 'partner-access-off';
}

export interface RunStats {
  generated: number;
  followUps: number;
  /** Known product bugs seen (and let pass) per bug id. */
  waived: Record<string, number>;
  /** DynamoDB calls the generated calls made (handlers and authorizer). */
  dynamoCalls: number;
  /** Answers per route and status: which routes the run really exercised. */
  byRoute: Record<string, Record<number, number>>;
}

const label = (caller: CallerRef): string => {
  if (caller.kind === 'anonymous') return 'anonymous';
  if (caller.kind === 'api-key') {
    const how = caller.alsoBearer ? '+bearer' : caller.secret.startsWith(`${caller.keyId}.`) ? '' : ' (wrong secret)';
    return `key:${caller.keyId}${how}`;
  }
  if (caller.kind === 'impersonation') return `session:${caller.sessionId}`;
  return `${caller.kind === 'forged' ? 'forged:' : ''}${caller.email.split('.')[0]}`;
};

/**
 * Routes that never read the caller's grants: an ended session's token (still
 * a valid signature until its expiry) gets through them. Every other route
 * reads the grants, and with them the session, and answers 401.
 */
const grantFree = new Set<string>(['listRoles']);

/**
 * Routes that check their target with `authorizeOn`, whose 401 tells a
 * session that lost its footing from an org out of reach. moveOrg checks
 * both its orgs with `assertAllowedOn` instead, which answers 404 there.
 */
const withoutSessionCheck = new Set<string>(['moveOrg']);

const describeCall = (prepared: Prepared): string => {
  const { request } = prepared;
  const headers = Object.entries(request.headers ?? {})
    .filter(([name]) => name !== 'authorization' && name !== 'content-type')
    .map(([name, value]) => ` ${name}: ${value}`)
    .join('');
  return `#${prepared.index} ${label(prepared.ctx.caller)} ${request.method} ${request.path}${request.query ? `?${request.query}` : ''}${
    request.body ? ` ${request.body}` : ''
  }${headers}`;
};

const parseWith = (schema: ZodType | undefined, value: unknown, present: boolean): { ok: boolean; data: unknown } => {
  if (!schema) return { ok: !present, data: {} };
  const result = schema.safeParse(value);
  return result.success ? { ok: true, data: result.data } : { ok: false, data: undefined };
};

/**
 * Every org id an answer names, in ids and in text (an explanation's reason),
 * except under `path`, `parentId` and `orgPath` (an audit entry's), which name
 * an org's ancestors by design, `token` (a session token is opaque base64url,
 * where `org_…` may turn up by chance), and an invoice's `customerId` and
 * `issuerId`: an invoice names both its parties, whichever side reads it (the
 * issuer was the customer's parent when it was drafted; after a move either
 * party may be out of the reader's sight). Anything else's `customerId` (a
 * ticket's, a quote's, a document's) is checked like any other id.
 */
const notNaming = new Set(['path', 'parentId', 'orgPath', 'token']);
const invoiceParties = new Set(['customerId', 'issuerId']);
const orgIdsIn = (value: unknown, found: string[] = []): string[] => {
  if (typeof value === 'string') found.push(...(value.match(/\borg_[0-9a-z]{1,40}\b/g) ?? []));
  else if (Array.isArray(value)) for (const item of value) orgIdsIn(item, found);
  else if (value && typeof value === 'object') {
    const invoice = 'issuerId' in value;
    for (const [key, inner] of Object.entries(value)) {
      if (!notNaming.has(key) && !(invoice && invoiceParties.has(key))) orgIdsIn(inner, found);
    }
  }
  return found;
};

/**
 * Runs generated calls against one world and judges every answer by the
 * model. The parts every route shares live here, in this order, as the API
 * promises them: 401 without a valid token; 400 for what the route table's
 * schemas refuse; an Idempotency-Key repeat; 404 out of scope or missing, 403
 * in scope without the route's permission; then the route's own rules.
 */
export class Runner {
  readonly stats: RunStats = { generated: 0, followUps: 0, waived: {}, dynamoCalls: 0, byRoute: {} };
  /** One line per executed call (by step index: parallel calls finish out of order), for failure reports. */
  private readonly journal: [number, string][] = [];
  /** The first scope 404 of each route, its id blanked: every later one, missing org or out of scope, must read the same. */
  private readonly notFoundBodies = new Map<string, string>();
  private readonly entries: [RouteId, RouteSpec][];

  /**
   * `waived`: known product bugs (ids of knownBugs) whose symptom is let pass, so a run
   * hunts for new bugs while regressions.json pins the known ones (replayed with nothing waived).
   */
  constructor(
    private readonly world: World,
    specs: RouteSpecs,
    private readonly waived: ReadonlySet<string> = new Set(),
  ) {
    this.entries = Object.entries(specs) as [RouteId, RouteSpec][];
  }

  async run(steps: readonly Step[]): Promise<void> {
    let batch: Prepared[] = [];
    for (const [index, step] of steps.entries()) {
      const prepared = await this.prepare(index, step);
      if (prepared.solo) {
        await this.flush(batch);
        batch = [];
        await this.flush([prepared]);
      } else {
        if (prepared.lock && batch.some((other) => other.lock === prepared.lock)) {
          await this.flush(batch);
          batch = [];
        }
        batch.push(prepared);
        if (batch.length >= parallelism * 3) {
          await this.flush(batch);
          batch = [];
        }
      }
    }
    await this.flush(batch);
  }

  /** The journal's last lines, for a failure report. */
  recent(lines = 40): string {
    return [...this.journal]
      .sort(([a], [b]) => a - b)
      .slice(-lines)
      .map(([, line]) => line)
      .join('\n');
  }

  /** Mostly people with roles somewhere (of every branch), some without any, the platform admin, no token, a forged token. */
  private pickCaller(pick: Picker): CallerRef {
    const { emails, adminEmail, model, principalOf } = this.world;
    const people = emails.filter((email) => email !== adminEmail);
    const granted = people.filter(
      (email) => model.grantsOf(principalOf(email)).length > 0 || model.portal.requesterGrantsOf(principalOf(email)).length > 0,
    );
    // API keys: mostly live ones; now and then one that was revoked or has expired, a wrong secret, or a key beside a bearer token.
    const liveKeys = [...model.apiKeys.keys()].filter((keyId) => model.keyWorks(keyId));
    const everyKey = [...model.keySecrets.keys()];
    const keyCaller = (keyId: string): CallerRef => ({ kind: 'api-key', keyId, secret: model.keySecrets.get(keyId) ?? '' });
    const sessions = [...model.sessions.keys()];
    const running = [...model.sessions.values()].filter((session) => model.isRunning(session)).map((session) => session.id);
    return pick.weighted<CallerRef>([
      [8, () => ({ kind: 'user', email: adminEmail })],
      [granted.length > 0 ? 62 : 0, () => ({ kind: 'user', email: pick.one(granted) })],
      [18, () => ({ kind: 'user', email: pick.one(people) })],
      [6, () => ({ kind: 'anonymous' })],
      [6, () => ({ kind: 'forged', email: pick.one(emails) })],
      [liveKeys.length > 0 ? 14 : 0, () => keyCaller(pick.one(liveKeys))],
      [everyKey.length > 0 ? 3 : 0, () => keyCaller(pick.one(everyKey))],
      [
        everyKey.length > 0 ? 2 : 0,
        () => {
          const keyId = pick.one(everyKey);
          const secret = model.keySecrets.get(keyId) ?? '';
          return {
            kind: 'api-key',
            keyId,
            secret: pick.one([`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, keyId, `${keyId}.`]),
          };
        },
      ],
      [liveKeys.length > 0 ? 1 : 0, () => ({ ...keyCaller(pick.one(liveKeys)), alsoBearer: pick.one(emails) })],
      // Mostly running sessions' tokens, which act; also ended and expired ones, which must not.
      [running.length > 0 ? 10 : 0, () => ({ kind: 'impersonation', sessionId: pick.one(running) })],
      [sessions.length > 0 ? 3 : 0, () => ({ kind: 'impersonation', sessionId: pick.one(sessions) })],
    ]);
  }

  private async prepare(index: number, step: Step): Promise<Prepared> {
    const { world } = this;
    const pick = new Picker(step);
    const [routeId, spec] = pick.weighted(this.entries.map(([id, s]) => [s.weight, () => [id, s] as const] as const));
    const route = routes.find((candidate) => candidate.id === routeId) as RouteDef;
    const caller = this.pickCaller(pick);
    const principal: Principal | null =
      caller.kind === 'user'
        ? world.principalOf(caller.email)
        : caller.kind === 'api-key'
          ? world.keyPrincipalOf(caller)
          : caller.kind === 'impersonation'
            ? world.model.sessionPrincipal(caller.sessionId)
            : null;
    const ctx: Ctx = { world, model: world.model, caller, principal };
    const built = spec.build(ctx, pick);
    const request = await this.toHttp(route, built, caller);
    const base = { index, route, spec, ctx, built, request, target: null as string | null };

    const expect = (statuses: readonly number[], reason: string, extra: Partial<Prepared> = {}): Prepared => ({
      ...base,
      parsed: null,
      outcome: { statuses },
      reason,
      solo: false,
      ...extra,
    });
    if (route.auth === 'caller' && !principal) return expect([401], 'no valid token');

    const parsed = this.parse(route, built);
    if (!parsed) return expect([400], 'the route table’s schemas refuse the request');

    const { model } = world;
    const keyed = route.idempotent === true && parsed.idempotencyKey !== null;
    // A spec's own answer: a bare answer is judged on `target` (the portal); one with its target replaces both
    // (services, invoices: routes addressed to something other than an org).
    const permission = route.permission ? (spec.permission?.(parsed) ?? route.permission) : null;
    const scoped = spec.access?.(ctx, parsed, permission);
    const judged = typeof scoped === 'object' ? scoped : null;
    const target = judged
      ? judged.target
      : route.permission || scoped
        ? (spec.target?.(parsed, ctx) ?? (parsed.params.orgId as string))
        : null;
    const access = judged ? judged.access : (scoped ?? (permission && target ? model.access(principal, target, permission) : 'allowed'));
    const denial = access === 'missing' || access === 'hidden' ? 404 : access === 'forbidden' || access === 'restricted' ? 403 : null;
    const cursor = parsed.query.cursor;
    const binding = spec.cursorBinding?.(parsed);
    const cursorValid =
      cursor === undefined || binding === undefined || model.cursors.some((c) => c.cursor === cursor && c.binding === binding);
    const scope = `${principal?.principalId ?? ''}|${parsed.idempotencyKey ?? ''}`;
    const fingerprint = stableJson([route.id, parsed.params, parsed.body]);
    const record = keyed ? model.idempotency.get(scope) : undefined;
    const more = { parsed, solo: false, target, ...(keyed ? { lock: scope } : {}) };

    // A request with two faults may be refused for either, as long as neither tells what the caller may not know.
    if (!cursorValid) return expect(denial ? [denial, 400] : [400], 'a cursor of another list', more);
    // A repeated Idempotency-Key answers from the caller's own record, whatever the caller may do now: a replay
    // only repeats what this same principal was told before (API.md), and keys are never shared between principals.
    if (record && record.fingerprint !== fingerprint) return expect([422], 'an Idempotency-Key used before with another request', more);
    if (record) {
      return {
        ...base,
        ...more,
        reason: 'a repeat of an earlier create under the same Idempotency-Key',
        replay: true,
        outcome: {
          statuses: [record.status],
          accept: (response) => {
            if (!sameJson(response.json, record.body))
              mismatch(`the repeat answered ${response.text}, the first answer was ${JSON.stringify(record.body)}`);
            if (response.headers['idempotent-replayed'] !== 'true') mismatch('the repeat is not marked idempotent-replayed');
          },
        },
      };
    }
    // An ended session's token passes the authorizer (its signature holds until its expiry), and the first read of
    // the caller's grants refuses it.
    if (route.auth === 'caller' && model.sessionEnded(principal) && !grantFree.has(route.id))
      return expect([401], 'the session has ended', more);
    if (target && access === 'hidden' && !withoutSessionCheck.has(route.id) && model.sessionLostOn(principal, target)) {
      return expect([401], `the session's impersonator no longer may impersonate at ${target}`, more);
    }
    if (denial) {
      return expect([denial], `${access}: ${permission} on ${target}`, {
        ...more,
        ...(denial === 403 ? { forbiddenType: access === 'restricted' ? 'partner-access-off' : 'forbidden' } : {}),
        ...(denial === 404 ? { scopeTarget: target ?? '' } : {}),
      });
    }
    const outcome = spec.allowed(ctx, parsed);
    const accept = outcome.accept;
    const recorded: Outcome =
      keyed && outcome.mutates
        ? {
            ...outcome,
            accept: async (response, tools) => {
              await accept?.(response, tools);
              model.idempotency.set(scope, {
                routeId: route.id,
                fingerprint,
                status: response.status,
                body: outcome.replayBody ? outcome.replayBody(response.json) : response.json,
                request: built,
              });
            },
          }
        : outcome;
    return {
      ...base,
      ...more,
      outcome: recorded,
      reason: `allowed: ${route.permission ?? 'any caller'}${target ? ` on ${target}` : ''}`,
      solo: outcome.mutates === true && outcome.statuses.some((status) => status < 300),
    };
  }

  /** The request as the route table's schemas and the API's header rules read it; null when any part is refused. */
  private parse(route: RouteDef, built: BuiltRequest): ParsedCall | null {
    const params = parseWith(route.request.params, built.params, Object.keys(built.params).length > 0);
    const query = parseWith(route.request.query, built.query ?? {}, Object.keys(built.query ?? {}).length > 0);
    const body = parseWith(route.request.body, built.body, built.body !== undefined);
    const headers = built.headers ?? {};
    const ifMatchText = route.conditional ? headers['if-match'] : undefined;
    const ifMatch = ifMatchText === undefined ? null : /^(?:W\/)?"(\d{1,15})"$/.exec(ifMatchText);
    const keyText = route.idempotent ? headers['idempotency-key'] : undefined;
    const keyValid = keyText === undefined || /^[\x21-\x7e]{1,255}$/.test(keyText);
    if (!params.ok || !query.ok || !body.ok || (ifMatchText !== undefined && !ifMatch) || !keyValid) return null;
    return {
      params: params.data as Record<string, string>,
      query: query.data as Record<string, unknown>,
      body: (body.data ?? {}) as Record<string, unknown>,
      ifMatch: ifMatch ? Number(ifMatch[1]) : null,
      idempotencyKey: keyText ?? null,
      walk: built.walk === true,
    };
  }

  private async toHttp(route: RouteDef, built: BuiltRequest, caller: CallerRef, query = built.query): Promise<ApiRequest> {
    const headers: Record<string, string> = { ...(built.headers ?? {}) };
    if (caller.kind === 'user') headers.authorization = `Bearer ${await this.world.tokenOf(caller.email)}`;
    if (caller.kind === 'forged') headers.authorization = `Bearer ${await this.world.forgedTokenOf(caller.email)}`;
    if (caller.kind === 'api-key') {
      headers['x-api-key'] = caller.secret;
      if (caller.alsoBearer) headers.authorization = `Bearer ${await this.world.tokenOf(caller.alsoBearer)}`;
    }
    if (caller.kind === 'impersonation') headers.authorization = `Bearer ${this.world.model.sessions.get(caller.sessionId)?.token ?? ''}`;
    if (built.body !== undefined) headers['content-type'] = 'application/json';
    return {
      method: route.method,
      path: route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(built.params[name] ?? '')),
      query: new URLSearchParams(query ?? {}).toString(),
      headers,
      body: built.body === undefined ? null : JSON.stringify(built.body),
    };
  }

  /** Runs calls side by side; reports the first disagreement in step order; then applies their cursors in step order. */
  private async flush(batch: readonly Prepared[]): Promise<void> {
    if (batch.length === 0) return;
    const cursors: { binding: string; cursor: string }[][] = batch.map(() => []);
    const results: PromiseSettledResult<void>[] = new Array(batch.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(parallelism, batch.length) }, async () => {
        while (next < batch.length) {
          const i = next++;
          const prepared = batch[i] as Prepared;
          results[i] = await this.execute(prepared, cursors[i] as { binding: string; cursor: string }[]).then(
            (): PromiseSettledResult<void> => ({ status: 'fulfilled', value: undefined }),
            (reason: unknown): PromiseSettledResult<void> => ({ status: 'rejected', reason }),
          );
        }
      }),
    );
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') throw result.reason;
      this.world.model.cursors.push(...(cursors[i] ?? []));
    }
  }

  private async execute(prepared: Prepared, cursors: { binding: string; cursor: string }[]): Promise<void> {
    const { api, model } = this.world;
    const { outcome, ctx } = prepared;
    const response = await api.call(prepared.request);
    this.stats.generated += 1;
    this.stats.dynamoCalls +=
      Number(response.headers['x-dynamodb-calls'] ?? 0) + Number(response.headers['x-dynamodb-calls-authorizer'] ?? 0);
    const counts = this.stats.byRoute[prepared.route.id] ?? {};
    counts[response.status] = (counts[response.status] ?? 0) + 1;
    this.stats.byRoute[prepared.route.id] = counts;
    if (ctx.caller.kind === 'impersonation') {
      // Calls made with session tokens, all routes together: whether sessions really acted (2xx), not just got refused.
      const tokens = this.stats.byRoute['(session tokens)'] ?? {};
      tokens[response.status] = (tokens[response.status] ?? 0) + 1;
      this.stats.byRoute['(session tokens)'] = tokens;
    }
    this.journal.push([prepared.index, `${describeCall(prepared)} → ${response.status}`]);
    try {
      if (!outcome.statuses.includes(response.status)) {
        mismatch(
          `expected ${outcome.statuses.join(' or ')} (${prepared.reason}), got ${response.status}`,
          knownBugOf('status', this.seen(prepared, response)),
        );
      }
      if (response.status >= 400) this.checkProblem(response);
      const problemType = (response.json as { type?: unknown } | undefined)?.type;
      if (
        response.status === 403 &&
        prepared.forbiddenType &&
        problemType !== `https://partner-portal.dev/problems/${prepared.forbiddenType}`
      ) {
        mismatch(`a 403 of type ${String(problemType)}, the model says ${prepared.forbiddenType}`);
      }
      const keyed = prepared.route.idempotent === true && prepared.built.headers?.['idempotency-key'] !== undefined;
      if (refusals.includes(response.status) && response.writes !== null && response.writes > (keyed ? 2 : 0)) {
        // A refused create holding an Idempotency-Key takes the key's lock and lets it go again (2 writes, nothing kept).
        mismatch(`a refused call made ${response.writes} DynamoDB writes`);
      }
      if (response.status === 404 && prepared.scopeTarget) this.checkNotFoundBody(prepared, response);
      if (response.status < 300) {
        const tools: AcceptTools = {
          page: async (cursor) => {
            this.stats.followUps += 1;
            const request = await this.toHttp(prepared.route, prepared.built, ctx.caller, { ...(prepared.built.query ?? {}), cursor });
            return api.call(request);
          },
          rememberCursor: (binding, cursor) => cursors.push({ binding, cursor }),
        };
        await outcome.accept?.(response, tools);
        if (prepared.route.auth === 'caller' && !prepared.replay && !prepared.spec.historical) {
          const visible = model.visible(ctx.principal);
          const leaked = orgIdsIn(response.json).filter((id) => !visible.has(id));
          if (leaked.length > 0) {
            mismatch(
              `the answer names ${[...new Set(leaked)].join(', ')}, outside what the caller can see`,
              knownBugOf('leak', this.seen(prepared, response)),
            );
          }
        }
      }
    } catch (error) {
      if (!(error instanceof ModelMismatch)) throw error;
      if (error.bug && this.waived.has(error.bug)) {
        this.stats.waived[error.bug] = (this.stats.waived[error.bug] ?? 0) + 1;
        return;
      }
      throw new ModelMismatch(
        `${error.message}\n  call:   ${describeCall(prepared)}\n  answer: ${response.status} ${response.text.slice(0, 600)}\n  caller's grants: ${JSON.stringify(
          model.grantsOf(ctx.principal),
        )}`,
        error.bug,
      );
    }
  }

  private seen(prepared: Prepared, response: ApiResponse): Seen {
    return { routeId: prepared.route.id, target: prepared.target, expected: prepared.outcome.statuses, status: response.status };
  }

  private checkProblem(response: ApiResponse): void {
    const problem = response.json as { type?: unknown; title?: unknown; status?: unknown; errors?: unknown } | undefined;
    if (response.headers['content-type'] !== 'application/problem+json')
      mismatch(`a ${response.status} is ${response.headers['content-type']}`);
    if (!problem || typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== response.status) {
      mismatch('the problem document is malformed');
    }
    if (response.status === 400) {
      const errors = problem?.errors;
      if (
        !Array.isArray(errors) ||
        errors.length === 0 ||
        !errors.every((e) => typeof e?.path === 'string' && typeof e?.message === 'string')
      ) {
        mismatch('a 400 names no fields in `errors`');
      }
    }
  }

  /** Out of scope must read exactly as "no such org": same type, title and detail (with the id blanked). */
  private checkNotFoundBody(prepared: Prepared, response: ApiResponse): void {
    const target = prepared.scopeTarget as string;
    const blanked = response.text.split(target).join('{id}');
    const known = this.notFoundBodies.get(prepared.route.id);
    if (known === undefined) this.notFoundBodies.set(prepared.route.id, blanked);
    else if (known !== blanked) {
      mismatch(
        `this 404 differs from an earlier one on the same route: ${known}`,
        knownBugOf('not-found-body', this.seen(prepared, response)),
      );
    }
  }
}
