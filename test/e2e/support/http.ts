import { expect } from 'vitest';

/**
 * A small HTTP client for end-to-end tests: real `fetch` against the local
 * runtime, the body read eagerly (JSON when the content type says so) so a
 * test can assert on status, headers and body without awaiting twice.
 */

export type Json = Record<string, unknown>;

export interface Reply<T = Json> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  body: T;
  /** The body as sent on the wire. */
  text: string;
}

export interface RequestOptions {
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

export interface Client {
  request<T = Json>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>>;
  get<T = Json>(path: string, options?: RequestOptions): Promise<Reply<T>>;
  post<T = Json>(path: string, body?: unknown, options?: RequestOptions): Promise<Reply<T>>;
  patch<T = Json>(path: string, body?: unknown, options?: RequestOptions): Promise<Reply<T>>;
  put<T = Json>(path: string, body?: unknown, options?: RequestOptions): Promise<Reply<T>>;
  delete<T = Json>(path: string, options?: RequestOptions): Promise<Reply<T>>;
}

const isJson = (contentType: string | null) => contentType !== null && /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);

const withQuery = (path: string, query: RequestOptions['query']): string => {
  const entries = Object.entries(query ?? {}).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  if (entries.length === 0) return path;
  return `${path}?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
};

/** A client for `baseUrl`, sending `Authorization: Bearer <token>` when given a token. */
export const clientFor = (baseUrl: string, token?: string): Client => {
  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    const response = await fetch(`${baseUrl}${withQuery(path, options.query)}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const parsed = text !== '' && isJson(response.headers.get('content-type')) ? (JSON.parse(text) as T) : (null as T);
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    patch: (path, body, options) => request('PATCH', path, { ...options, body }),
    put: (path, body, options) => request('PUT', path, { ...options, body }),
    delete: (path, options) => request('DELETE', path, options),
  };
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

/**
 * Asserts an RFC 9457 problem document with this status (and, when given,
 * this problem type, the last segment of its `type` URI), and returns it.
 */
export const expectProblem = (reply: Reply<unknown>, status: number, type?: string): Problem => {
  expect({ status: reply.status, contentType: reply.headers.get('content-type') }, reply.text).toEqual({
    status,
    contentType: 'application/problem+json',
  });
  const problem = reply.body as Problem;
  expect(problem).toMatchObject({
    type: expect.stringMatching(type ? new RegExp(`^https://\\S+/${type}$`) : /^https:\/\/\S+$/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  return problem;
};

/** Asserts a JSON success reply with this status. */
export const expectJson = <T>(reply: Reply<T>, status: number): T => {
  expect({ status: reply.status, contentType: reply.headers.get('content-type') }, reply.text).toEqual({
    status,
    contentType: 'application/json',
  });
  return reply.body;
};

/** Follows `nextCursor` from the first page to the last, returning every page. */
export const allPages = async <T>(
  fetchPage: (cursor: string | undefined) => Promise<Reply<Page<T>>>,
  maxPages = 50,
): Promise<{ pages: T[][]; items: T[] }> => {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = expectJson(await fetchPage(cursor), 200);
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > maxPages) throw new Error(`Still paging after ${maxPages} pages: the cursor does not advance`);
  } while (cursor);
  return { pages, items: pages.flat() };
};

/** What the API answers, as a client reads it (API.md); kept apart from the product's own types on purpose. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Org {
  id: string;
  kind: 'platform' | 'channel' | 'partner' | 'customer';
  name: string;
  status: 'active' | 'suspended';
  path: string;
  parentId: string | null;
  depth: number;
  customerType: 'standard' | 'internal' | 'nfr' | null;
  partnerAccess: boolean;
  subscription: { state: string; since: string } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Member {
  userId: string;
  email: string;
  orgId: string;
  role: string;
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Me {
  userId: string | null;
  email: string | null;
  principalType: 'user' | 'api-key' | 'impersonation';
  memberships: { orgId: string; orgName: string | null; orgKind: string | null; role: string; builtIn: boolean }[];
  delegated: { kind: string; orgId: string; role: string }[];
  impersonation: unknown;
  apiKey: unknown;
}

export interface Breadcrumb {
  items: { id: string; name: string; kind: string }[];
}

export interface Explanation {
  allowed: boolean;
  reason: string;
  grant: { kind: string; orgId: string; role: string } | null;
  rule: string | null;
}

export interface MoveResult {
  org: Org;
  movedOrgs: number;
  moveId: string | null;
}

export interface RoleDoc {
  name: string;
  description: string;
  permissions: string[];
  assignableAt: string[];
}

/** A client that authenticates with `x-api-key` only, as a partner's integration does. */
export const apiKeyClient = (baseUrl: string, secret: string, extra: Record<string, string> = {}): Client => {
  const base = clientFor(baseUrl);
  const withKey = (options: RequestOptions = {}): RequestOptions => ({
    ...options,
    headers: { 'x-api-key': secret, ...extra, ...options.headers },
  });
  return {
    request: (method, path, options) => base.request(method, path, withKey(options)),
    get: (path, options) => base.get(path, withKey(options)),
    post: (path, body, options) => base.post(path, body, withKey(options)),
    patch: (path, body, options) => base.patch(path, body, withKey(options)),
    put: (path, body, options) => base.put(path, body, withKey(options)),
    delete: (path, options) => base.delete(path, withKey(options)),
  };
};
