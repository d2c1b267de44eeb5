import type { Node } from 'constructs';

/** Stage throttling applied to every method of the REST API (requests per second, and burst). */
export interface ThrottleConfig {
  rateLimit: number;
  burstLimit: number;
}

/** Limits for partners' API keys, enforced by the usage plan once keys exist. */
export interface UsagePlanConfig extends ThrottleConfig {
  quotaLimit: number;
  quotaPeriod: 'DAY' | 'WEEK' | 'MONTH';
}

export interface PortalConfig {
  stage: string;
  regions: string[];
  /** Left undefined, the stacks are account-agnostic so `cdk synth` needs no credentials. */
  account: string | undefined;
  throttling: ThrottleConfig;
  usagePlan: UsagePlanConfig;
  auditRetentionDays: number;
  /** The first platform administrator, created (and invited) by the stack's bootstrap. */
  platformAdminEmail: string;
  /** CloudWatch Logs only accepts a fixed set of retention periods; see `logRetentionChoices`. */
  logRetentionDays: number;
}

/** Production stages keep their data: deletion protection on, and nothing is ever destroyed with the stack. */
export const isProductionStage = (stage: string): boolean => stage === 'prod';

export const logRetentionChoices = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922] as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `-c key=value` arrives as a string; cdk.json values arrive typed. Accept both. */
const parsed = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed) || /^-?\d+(\.\d+)?$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch (cause) {
      throw new ConfigError(`Context value ${value} is not valid JSON`, { cause });
    }
  }
  return trimmed;
};

const positiveNumber = (value: unknown, key: string): number => {
  const number = parsed(value);
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
    throw new ConfigError(`Context ${key} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return number;
};

const record = (value: unknown, key: string): Record<string, unknown> => {
  const object = parsed(value);
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new ConfigError(`Context ${key} must be an object, got ${JSON.stringify(value)}`);
  }
  return object as Record<string, unknown>;
};

const regionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const stagePattern = /^[a-z][a-z0-9-]{0,15}$/;

const regionsFrom = (node: Node): string[] => {
  const single = node.tryGetContext('region') as unknown;
  const value = single !== undefined ? [parsed(single)] : parsed(node.tryGetContext('regions') ?? []);
  const list = (Array.isArray(value) ? value : String(value).split(',')).map((region) => String(region).trim());
  if (list.length === 0) throw new ConfigError('Context regions is empty: name at least one region in cdk.json or with -c region=…');
  for (const region of list) {
    if (!regionPattern.test(region)) throw new ConfigError(`Context region ${JSON.stringify(region)} is not an AWS region name`);
  }
  return [...new Set(list)];
};

/**
 * Reads the deployment configuration from CDK context (cdk.json, overridden by
 * `-c key=value`). `-c region=…` narrows the app to that one region. Invalid
 * values fail synthesis with a message naming the key, never a half-built stack.
 */
export const readConfig = (node: Node): PortalConfig => {
  const stage = String(parsed(node.tryGetContext('stage') ?? 'dev'));
  if (!stagePattern.test(stage)) throw new ConfigError(`Context stage ${JSON.stringify(stage)} must match ${stagePattern}`);

  const accountValue = node.tryGetContext('account') as unknown;
  const account = accountValue === undefined || accountValue === '' ? undefined : String(accountValue);
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new ConfigError(`Context account must be 12 digits, got ${account}`);

  const throttling = record(node.tryGetContext('throttling') ?? {}, 'throttling');
  const usagePlan = record(node.tryGetContext('usagePlan') ?? {}, 'usagePlan');
  const quotaPeriod = String(usagePlan.quotaPeriod ?? 'DAY');
  if (quotaPeriod !== 'DAY' && quotaPeriod !== 'WEEK' && quotaPeriod !== 'MONTH') {
    throw new ConfigError(`Context usagePlan.quotaPeriod must be DAY, WEEK or MONTH, got ${quotaPeriod}`);
  }
  const logRetentionDays = positiveNumber(node.tryGetContext('logRetentionDays') ?? 90, 'logRetentionDays');
  if (!(logRetentionChoices as readonly number[]).includes(logRetentionDays)) {
    throw new ConfigError(`Context logRetentionDays must be one of ${logRetentionChoices.join(', ')}`);
  }

  const platformAdminEmail = String(parsed(node.tryGetContext('platformAdminEmail') ?? 'admin@platform.test')).toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(platformAdminEmail)) {
    throw new ConfigError(`Context platformAdminEmail must be an email address, got ${platformAdminEmail}`);
  }

  return {
    stage,
    platformAdminEmail,
    regions: regionsFrom(node),
    account,
    throttling: {
      rateLimit: positiveNumber(throttling.rateLimit ?? 100, 'throttling.rateLimit'),
      burstLimit: positiveNumber(throttling.burstLimit ?? 200, 'throttling.burstLimit'),
    },
    usagePlan: {
      rateLimit: positiveNumber(usagePlan.rateLimit ?? 20, 'usagePlan.rateLimit'),
      burstLimit: positiveNumber(usagePlan.burstLimit ?? 40, 'usagePlan.burstLimit'),
      quotaLimit: positiveNumber(usagePlan.quotaLimit ?? 100_000, 'usagePlan.quotaLimit'),
      quotaPeriod,
    },
    auditRetentionDays: positiveNumber(node.tryGetContext('auditRetentionDays') ?? 400, 'auditRetentionDays'),
    logRetentionDays,
  };
};
