import { randomBytes } from 'node:crypto';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { optionalEnv } from '../shared/config.ts';

/**
 * The usage plan partner keys join: USAGE_PLAN_ID itself, or (in a deployed
 * stack) read once from the SSM parameter USAGE_PLAN_ID_PARAMETER names. The
 * stack cannot hand the id over directly: the plan depends on the API's
 * stage, the stage on its methods, the methods on this very function, so an
 * environment variable holding the id would close a dependency cycle.
 * Undefined when neither is set: the local runtime has no usage plans.
 */
const usagePlanId = async (): Promise<string | undefined> => {
  const direct = optionalEnv('USAGE_PLAN_ID');
  if (direct) return direct;
  const parameter = optionalEnv('USAGE_PLAN_ID_PARAMETER');
  if (!parameter) return undefined;
  // The plan outlives every container, so its id is read once.
  const id = await getParameter(parameter, { maxAge: 24 * 60 * 60 });
  if (!id) throw new Error(`The SSM parameter ${parameter} holds no usage plan id`);
  return id;
};

let client: APIGatewayClient | undefined;
const apiGateway = (): APIGatewayClient => {
  client ??= new APIGatewayClient({});
  return client;
};

/** The API Gateway API key a partner key is throttled by: its id (to delete it) and value (what the authorizer names). */
export interface UsageKey {
  id: string;
  value: string;
}

/**
 * Registers a partner key with the usage plan that throttles
 * partner integrations: an API Gateway API key whose value is a random
 * identifier, never the partner's secret (the API's key source is the
 * authorizer, so API Gateway never reads a key from the request; only the
 * authorizer names this value, after it has verified the secret). Without a
 * usage plan (the local runtime, tests) nothing is registered and null comes
 * back. A key that cannot be attached to the plan is deleted again, so a
 * failure leaves nothing behind.
 */
export const registerUsageKey = async (keyId: string, orgId: string): Promise<UsageKey | null> => {
  const planId = await usagePlanId();
  if (!planId) return null;
  const value = randomBytes(20).toString('hex');
  const created = await apiGateway().send(
    new CreateApiKeyCommand({ name: keyId, description: `Partner Portal API key ${keyId} of ${orgId}`, enabled: true, value }),
  );
  if (!created.id) throw new Error(`API Gateway created no id for the usage key of ${keyId}`);
  try {
    await apiGateway().send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: created.id, keyType: 'API_KEY' }));
  } catch (error) {
    await removeUsageKey(created.id);
    throw error;
  }
  return { id: created.id, value };
};

/** Deletes a usage key (which also takes it off its usage plan). Deleting one that is already gone is fine. */
export const removeUsageKey = async (usageKeyId: string): Promise<void> => {
  try {
    await apiGateway().send(new DeleteApiKeyCommand({ apiKey: usageKeyId }));
  } catch (error) {
    if ((error as Error).name !== 'NotFoundException') throw error;
  }
};
