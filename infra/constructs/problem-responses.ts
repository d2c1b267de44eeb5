import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { problemBase } from '#functions/http/problem';

interface ProblemResponse {
  responseType: ResponseType;
  /** Left undefined, API Gateway keeps its own status (the DEFAULT_* catch-alls cover several). */
  status?: number;
  /** Problem type slug, matching the handlers' domain errors where one exists. */
  type: string;
  title: string;
  /** A fixed sentence, or undefined to pass on API Gateway's own message. */
  detail?: string;
  headers?: Record<string, string>;
}

/**
 * Answers API Gateway gives without reaching a handler, shaped as the same
 * RFC 9457 problem documents the handlers return, so clients parse one error
 * format. API Gateway answers an unknown path with MISSING_AUTHENTICATION_TOKEN
 * (403 by default); it is a 404 here, as the local runtime answers.
 */
export const problemResponses: readonly ProblemResponse[] = [
  {
    responseType: ResponseType.UNAUTHORIZED,
    status: 401,
    type: 'unauthorized',
    title: 'Unauthorized',
    detail: 'A valid bearer token or API key is required.',
    headers: { 'WWW-Authenticate': 'Bearer' },
  },
  { responseType: ResponseType.ACCESS_DENIED, status: 403, type: 'forbidden', title: 'Forbidden' },
  {
    responseType: ResponseType.THROTTLED,
    status: 429,
    type: 'too-many-requests',
    title: 'Too many requests',
    detail: 'Slow down and retry later.',
  },
  {
    responseType: ResponseType.QUOTA_EXCEEDED,
    status: 429,
    type: 'too-many-requests',
    title: 'Quota exceeded',
    detail: 'The API key has used its quota for this period.',
  },
  { responseType: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, type: 'not-found', title: 'Not found', detail: 'No such route.' },
  { responseType: ResponseType.RESOURCE_NOT_FOUND, status: 404, type: 'not-found', title: 'Not found', detail: 'No such route.' },
  { responseType: ResponseType.REQUEST_TOO_LARGE, status: 413, type: 'payload-too-large', title: 'Payload too large' },
  { responseType: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, type: 'unsupported-media-type', title: 'Unsupported media type' },
  // Covers 400s and 403s (invalid API key, WAF) alike, so it names no status of its own.
  { responseType: ResponseType.DEFAULT_4XX, type: 'request-rejected', title: 'Request rejected' },
  {
    responseType: ResponseType.DEFAULT_5XX,
    type: 'internal',
    title: 'Internal error',
    detail: 'An unexpected error occurred. It has been logged.',
  },
];

/** Mapping template of one problem document; `$context.error.messageString` is API Gateway's message, already JSON-quoted. */
const template = ({ status, type, title, detail }: ProblemResponse): string =>
  [
    '{',
    `"type":${JSON.stringify(`${problemBase}${type}`)},`,
    `"title":${JSON.stringify(title)},`,
    status === undefined ? '' : `"status":${status},`,
    `"detail":${detail === undefined ? '$context.error.messageString' : JSON.stringify(detail)},`,
    '"requestId":"$context.requestId"',
    '}',
  ].join('');

export const addProblemResponses = (api: RestApi): void => {
  for (const response of problemResponses) {
    const headers = { 'Content-Type': 'application/problem+json', ...response.headers };
    api.addGatewayResponse(`Problem${response.responseType.responseType}`, {
      type: response.responseType,
      ...(response.status === undefined ? {} : { statusCode: String(response.status) }),
      responseHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, `'${value}'`])),
      templates: { 'application/json': template(response) },
    });
  }
};
