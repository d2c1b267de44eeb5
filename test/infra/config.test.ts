import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigError, isProductionStage, readConfig } from '#infra/config';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

const configOf = (context: Record<string, unknown>) => readConfig(new App({ context: { ...cdkJson.context, ...context } }).node);

describe('readConfig', () => {
  it('reads the defaults from cdk.json', () => {
    // Act
    const config = configOf({});

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      regions: ['eu-west-1', 'us-east-1'],
      account: undefined,
      auditRetentionDays: 400,
      throttling: { rateLimit: expect.any(Number), burstLimit: expect.any(Number) },
      usagePlan: { quotaPeriod: 'DAY' },
    });
  });

  it('keeps audit entries 400 days when no retention is configured at all', () => {
    // Prepare
    const { auditRetentionDays: _configured, ...context } = cdkJson.context;

    // Act
    const config = readConfig(new App({ context }).node);

    // Assess
    expect(config.auditRetentionDays).toBe(400);
  });

  it('narrows the app to one region with -c region=…', () => {
    // Act
    const config = configOf({ region: 'ap-southeast-2', stage: 'prod' });

    // Assess
    expect(config.regions).toEqual(['ap-southeast-2']);
    expect(config.stage).toBe('prod');
    expect(isProductionStage(config.stage)).toBe(true);
  });

  it('parses values given on the command line as strings', () => {
    // Act
    const config = configOf({
      regions: 'eu-central-1,eu-west-1',
      auditRetentionDays: '30',
      throttling: '{"rateLimit":5,"burstLimit":10}',
      account: '123456789012',
    });

    // Assess
    expect(config.regions).toEqual(['eu-central-1', 'eu-west-1']);
    expect(config.auditRetentionDays).toBe(30);
    expect(config.throttling).toEqual({ rateLimit: 5, burstLimit: 10 });
    expect(config.account).toBe('123456789012');
  });

  it.each([
    [{ stage: 'Prod!' }, /stage/],
    [{ region: 'moon-1' }, /region/],
    [{ account: '42' }, /account/],
    [{ throttling: { rateLimit: -1, burstLimit: 10 } }, /throttling.rateLimit/],
    [{ usagePlan: { quotaPeriod: 'YEAR' } }, /quotaPeriod/],
    [{ logRetentionDays: 42 }, /logRetentionDays/],
  ])('rejects %j with a message naming the key', (context, message) => {
    // Act / Assess
    expect(() => configOf(context)).toThrow(ConfigError);
    expect(() => configOf(context)).toThrow(message);
  });
});
