import type { APIGatewayProxyResult } from 'aws-lambda';

/** What a route implementation returns; the group turns it into the proxy result. */
export interface Reply {
  status: number;
  body?: unknown;
  /** The resource's version, sent as a strong ETag. */
  version?: number;
  headers?: Record<string, string>;
  /** A non-JSON body (CSV export), sent as is with `headers['content-type']`. */
  text?: string;
  /**
   * What an Idempotency-Key replay answers instead of `body`, when `body`
   * holds something that must not be stored in clear (a key's secret).
   */
  replayBody?: unknown;
}

export const etagOf = (version: number): string => `"${version}"`;

export const toProxyResult = (reply: Reply): APIGatewayProxyResult => {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (reply.version !== undefined) headers.etag = etagOf(reply.version);
  if (reply.text !== undefined) return { statusCode: reply.status, headers, body: reply.text };
  if (reply.body === undefined) return { statusCode: reply.status, headers, body: '' };
  headers['content-type'] ??= 'application/json';
  return { statusCode: reply.status, headers, body: JSON.stringify(reply.body) };
};

export const ok = (body: unknown, version?: number): Reply => ({ status: 200, body, ...(version === undefined ? {} : { version }) });
export const created = (body: unknown, version?: number): Reply => ({ status: 201, body, ...(version === undefined ? {} : { version }) });
export const noContent = (): Reply => ({ status: 204 });
