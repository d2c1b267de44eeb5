import type { APIGatewayRequestAuthorizerEvent, Statement } from 'aws-lambda';
import type { CallCount } from '#domain/db/call-counter';
import { wildcardMatches } from './iam-wildcard.ts';
import type { FunctionRef, LambdaRuntime } from './lambda-runtime.ts';

/** The authorizer of every `caller` route, as the stack wires it. */
export const authorizerFunction: FunctionRef = { name: 'authorizer', entry: 'functions/authorizer/handler.ts' };

export type AuthorizerOutcome =
  /** `context` is what handlers find in `requestContext.authorizer`. */
  | { kind: 'allowed'; context: Record<string, string | number>; calls: CallCount }
  /** The authorizer threw `Unauthorized`: API Gateway answers 401. */
  | { kind: 'unauthorized' }
  /** The policy does not allow this method ARN: API Gateway answers 403. */
  | { kind: 'denied' }
  /** Anything else (a crash, a malformed result): API Gateway answers 500. */
  | { kind: 'failed'; reason: string; error?: unknown };

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const applies = (statement: Statement, methodArn: string): boolean => {
  const actions = 'Action' in statement ? asList(statement.Action) : [];
  const resources = 'Resource' in statement ? asList(statement.Resource) : [];
  return (
    actions.some((action) => wildcardMatches(action, 'execute-api:Invoke', true)) &&
    resources.some((resource) => wildcardMatches(resource, methodArn))
  );
};

/** An explicit Deny wins; without an Allow that covers the method ARN, the call is denied too. */
const isAllowed = (statements: Statement[], methodArn: string): boolean => {
  const relevant = statements.filter((statement) => applies(statement, methodArn));
  return relevant.some((s) => s.Effect === 'Allow') && !relevant.some((s) => s.Effect === 'Deny');
};

interface AuthorizerResultShape {
  principalId: string;
  policyDocument: { Statement: Statement[] };
  context?: Record<string, unknown> | null;
}

const isResultShape = (value: unknown): value is AuthorizerResultShape => {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Record<string, unknown>;
  const policy = result.policyDocument as Record<string, unknown> | undefined;
  return typeof result.principalId === 'string' && Array.isArray(policy?.Statement);
};

/**
 * API Gateway refuses objects and arrays in the context (a 500), and hands the
 * rest to the integration as strings, adding the principal id and its latency.
 */
const integrationContextOf = (result: AuthorizerResultShape, latencyMs: number): Record<string, string | number> | string => {
  const context: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(result.context ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') return `context value ${key} is not a string, number or boolean`;
    context[key] = String(value);
  }
  return { ...context, principalId: result.principalId, integrationLatency: latencyMs };
};

/** Invokes the REQUEST authorizer and judges its answer the way API Gateway does. No result cache, as in the stack. */
export const runAuthorizer = async (
  lambda: LambdaRuntime,
  authorizer: FunctionRef,
  event: APIGatewayRequestAuthorizerEvent,
): Promise<AuthorizerOutcome> => {
  const started = Date.now();
  const invocation = await lambda.invoke(authorizer, event);
  if (invocation.kind === 'timed-out') return { kind: 'failed', reason: 'the authorizer timed out' };
  if (invocation.kind === 'threw') {
    // Lambda reports the error message; `Unauthorized`, exactly, is API Gateway's cue for a 401.
    if (invocation.error instanceof Error && invocation.error.message === 'Unauthorized') return { kind: 'unauthorized' };
    return { kind: 'failed', reason: 'the authorizer threw', error: invocation.error };
  }
  const result = invocation.value;
  if (!isResultShape(result)) return { kind: 'failed', reason: 'the authorizer returned no principalId and policyDocument' };
  if (!isAllowed(result.policyDocument.Statement, event.methodArn)) return { kind: 'denied' };
  const context = integrationContextOf(result, Date.now() - started);
  if (typeof context === 'string') return { kind: 'failed', reason: context };
  return { kind: 'allowed', context, calls: invocation.calls };
};
