import type { Model, Principal } from '../model/model.ts';
import type { AcceptTools } from '../spec.ts';
import { expectFields, mismatch } from '../spec.ts';
import type { ApiResponse } from '../support/api.ts';

/** Pages a list walk may fetch before it is called runaway paging. */
const maxPages = 60;

/** An org as the model shows it to `principal` (whole, or a restricted summary), subscription included. */
export const expectOrg = (what: string, actual: unknown, model: Model, id: string, principal: Principal | null = null): void => {
  expectFields(what, actual, principal ? model.viewFor(principal, id) : model.viewOf(id));
  const subscription = (actual as { subscription?: { state?: unknown } | null } | undefined)?.subscription;
  const expected = model.org(id)?.subscription ?? null;
  const state = subscription === null || subscription === undefined ? null : subscription.state;
  if (state !== expected) mismatch(`${what}: subscription state is ${JSON.stringify(state)}, the model says ${JSON.stringify(expected)}`);
};

export interface Walked {
  items: Record<string, unknown>[];
  /** The last page said there was no more. */
  complete: boolean;
}

/**
 * Reads a page answer and, when asked, follows `nextCursor` to the end. Every
 * cursor seen is remembered (for reuse on other lists); every page must be a
 * 200 of `{ items, nextCursor }`.
 */
export const walkPages = async (
  first: ApiResponse,
  tools: AcceptTools,
  binding: string,
  follow: boolean,
  /** For lists that grow without bound (the audit): stop following after `maxPages`, incomplete, instead of failing. */
  unbounded = false,
): Promise<Walked> => {
  const items: Record<string, unknown>[] = [];
  let response = first;
  for (let pages = 1; ; pages++) {
    const page = response.json as { items?: unknown; nextCursor?: unknown } | undefined;
    if (
      response.status !== 200 ||
      !page ||
      !Array.isArray(page.items) ||
      (page.nextCursor !== null && typeof page.nextCursor !== 'string')
    ) {
      return mismatch(`a page answered ${response.status} ${response.text.slice(0, 300)}`);
    }
    items.push(...(page.items as Record<string, unknown>[]));
    if (page.nextCursor === null) return { items, complete: true };
    tools.rememberCursor(binding, page.nextCursor);
    if (!follow) return { items, complete: false };
    if (pages >= maxPages) return unbounded ? { items, complete: false } : mismatch(`more than ${maxPages} pages`);
    response = await tools.page(page.nextCursor);
  }
};

/** Fails on an item listed twice. */
export const expectNoDuplicates = (what: string, ids: readonly unknown[]): void => {
  const seen = new Set<unknown>();
  for (const id of ids) {
    if (seen.has(id)) mismatch(`${what}: ${String(id)} is listed twice`);
    seen.add(id);
  }
};

/** Fails unless a complete walk listed exactly the model's ids (in the model's order when `ordered`). */
export const expectSameIds = (what: string, listed: readonly string[], expected: readonly string[], ordered: boolean): void => {
  const missing = expected.filter((id) => !listed.includes(id));
  const extra = listed.filter((id) => !expected.includes(id));
  if (missing.length > 0 || extra.length > 0) {
    mismatch(`${what}: missing ${JSON.stringify(missing)}, not expected ${JSON.stringify(extra)}`);
  }
  if (ordered && listed.join() !== expected.join()) {
    mismatch(`${what}: order is ${JSON.stringify(listed)}, the model says ${JSON.stringify(expected)}`);
  }
};

/** Code-unit order, which is DynamoDB's byte order for the ASCII keys these tests use. */
export const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
