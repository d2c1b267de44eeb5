import type { APIGatewayProxyResult } from 'aws-lambda';
import { problemBase, problemResponse } from '#functions/http/problem';

/**
 * What API Gateway itself answers before or instead of a handler (its
 * "gateway responses"), as problem documents with the same types the
 * handlers use. The stack is expected to configure the same bodies, so a
 * client sees one error format whoever produced the error.
 */
const problem = (status: number, type: string, title: string, detail: string, headers: Record<string, string> = {}) =>
  problemResponse({ type: `${problemBase}${type}`, title, status, detail }, headers);

export const gatewayProblem = {
  badRequest: (detail: string): APIGatewayProxyResult => problem(400, 'validation-error', 'The request is not valid', detail),
  notFound: (): APIGatewayProxyResult => problem(404, 'not-found', 'Not found', 'No route matches this path.'),
  methodNotAllowed: (allow: readonly string[]): APIGatewayProxyResult =>
    problem(405, 'method-not-allowed', 'Method not allowed', `This path accepts ${allow.join(', ')}.`, { allow: allow.join(', ') }),
  unauthorized: (): APIGatewayProxyResult =>
    problem(401, 'unauthorized', 'Authentication is required', 'Send a valid token as `Authorization: Bearer <token>`.'),
  forbidden: (): APIGatewayProxyResult =>
    problem(403, 'forbidden', 'Not allowed', 'The authorizer does not allow this caller to call this route.'),
  payloadTooLarge: (limitBytes: number): APIGatewayProxyResult =>
    problem(413, 'payload-too-large', 'Request body too large', `The body must be at most ${limitBytes} bytes.`),
  /** What API Gateway's THROTTLED gateway response says (problem-responses.ts), with a hint of when to retry. */
  tooManyRequests: (retryAfterSeconds: number): APIGatewayProxyResult =>
    problem(429, 'too-many-requests', 'Too many requests', 'Slow down and retry later.', { 'retry-after': String(retryAfterSeconds) }),
  /** API Gateway answers 500 when the authorizer fails other than with `Unauthorized`. */
  authorizerFailed: (): APIGatewayProxyResult =>
    problem(500, 'authorizer-failure', 'Authorizer failure', 'The authorizer failed; the error has been logged.'),
  /** API Gateway answers 502 when the function throws or returns a malformed proxy result. */
  badGateway: (): APIGatewayProxyResult =>
    problem(502, 'bad-gateway', 'Bad gateway', 'The function failed or returned a malformed response; the error has been logged.'),
  /** A bug in the local runtime itself, never a handler's doing. */
  runtimeFailed: (): APIGatewayProxyResult =>
    problem(500, 'internal', 'Internal error', 'The local runtime failed; its log has the details.'),
  gatewayTimeout: (timeoutMs: number): APIGatewayProxyResult =>
    problem(504, 'gateway-timeout', 'Gateway timeout', `The function did not answer within ${timeoutMs} ms.`),
};
