import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '#domain/db/table-definition';
import type { RouteDef, RouteGroup } from '#functions/http/route-table-types';
import { groups, routes } from '#functions/http/routes';
import { readConfig } from '#infra/config';
import { functionKeyMetadata } from '#infra/constructs/portal-function';
import { methodNotAllowedOperation } from '#infra/constructs/route-table-api';
import { wildcardMatches } from '#infra/local/iam-wildcard';
import { definePortal, type RegionStacks } from '#infra/stacks/portal';

/*
 * The app is built and synthesized once per stage (bundling each function
 * with esbuild is what takes time; CDK reuses an identical bundle across
 * regions), and every assertion reads the shared templates.
 */

// biome-ignore lint/suspicious/noExplicitAny: template properties are arbitrary JSON, read ad hoc by the assertions below.
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; Metadata?: Record<string, unknown> };

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
const regions = ['eu-west-1', 'us-east-1'];
const groupList: RouteGroup[] = Object.values(groups);
const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** Written out rather than imported: this is the spec the IAM conditions are held to (test/unit/audit-key-conditions.test.ts ties it to real keys). */
const auditKeyPattern = '$pp#audit*';
const auditDenyCondition = { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [auditKeyPattern] } };
const auditAllowCondition = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [auditKeyPattern] },
  Null: { 'dynamodb:LeadingKeys': 'false' },
};

/** Node's verdict on each bundle, by asset directory: both regions share the same bundles. */
const loadedBundles = new Map<string, string>();
const loadBundle = (bundle: string, region: string): string => {
  const known = loadedBundles.get(bundle);
  if (known) return known;
  // A fresh Node process, as Lambda would load it: a dynamic require or a missing module fails here.
  const loaded = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler);`,
    ],
    { env: { ...process.env, TABLE_NAME: 'bundle-load-test', AWS_REGION: region, NODE_NO_WARNINGS: '1' }, encoding: 'utf8' },
  );
  loadedBundles.set(bundle, loaded);
  return loaded;
};

const synthesize = (context: Record<string, unknown>) => {
  // Asset metadata is what `cdk synth` writes for the local runtime to find bundles; tests check it is there.
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:enable-asset-metadata': true, ...context } });
  const stacks = definePortal(app, readConfig(app.node));
  const assembly = app.synth();
  return { app, stacks, outdir: assembly.directory };
};

const logicalId = (stack: Stack, element: unknown): string => stack.getLogicalId(element as CfnElement);
const resourcesOf = (template: Template, type: string): [string, Resource][] =>
  Object.entries(template.findResources(type)) as [string, Resource][];
const flat = (value: unknown): string => JSON.stringify(value);

/** Full path of every API Gateway resource, rebuilt from PathPart/ParentId. */
const resourcePaths = (template: Template): Map<string, string> => {
  const resources = new Map(resourcesOf(template, 'AWS::ApiGateway::Resource'));
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known) return known;
    const resource = resources.get(id);
    if (!resource) throw new Error(`Unknown API resource ${id}`);
    const parent = resource.Properties.ParentId as { Ref?: string };
    const path = `${parent.Ref ? pathOf(parent.Ref) : ''}/${resource.Properties.PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const id of resources.keys()) pathOf(id);
  return paths;
};

// biome-ignore lint/suspicious/noExplicitAny: policy documents are arbitrary JSON (intrinsics in resources and conditions).
type Statement = { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: any; Condition?: Record<string, unknown> };

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
/** Whether a statement's actions cover `action`, wildcards included (`dynamodb:*`, `*`). */
const covers = (statement: Statement, action: string): boolean =>
  actionsOf(statement).some((pattern) => wildcardMatches(pattern, action, true));

/** Every statement of every policy attached to a role. */
const statementsOfRole = (template: Template, roleId: string): Statement[] =>
  resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => flat(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);

/** Every action a role is allowed, across all policies attached to it (Deny statements left out). */
const actionsOfRole = (template: Template, roleId: string): Set<string> =>
  new Set(
    statementsOfRole(template, roleId)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(actionsOf),
  );

/** Each function of a template with its key (`http/orgs`, `audit`, …) and the logical id of its execution role. */
const functionRoles = (template: Template): { key: string; roleId: string }[] =>
  resourcesOf(template, 'AWS::Lambda::Function').map(([id, fn]) => {
    const roleId = fn.Properties.Role?.['Fn::GetAtt']?.[0];
    if (typeof roleId !== 'string') throw new Error(`${id} has no role of this stack`);
    return { key: String(fn.Metadata?.[functionKeyMetadata]), roleId };
  });

describe.each(regions)('stacks in %s', (region) => {
  let regionStacks: RegionStacks;
  let data: Template;
  let api: Template;
  let outdir: string;

  beforeAll(() => {
    const built = synthesizeShared();
    const found = built.stacks.find((stacks) => stacks.region === region);
    if (!found) throw new Error(`No stacks for ${region}`);
    regionStacks = found;
    outdir = built.outdir;
    data = Template.fromStack(found.data);
    api = Template.fromStack(found.api);
  }, 180_000);

  describe('data stack', () => {
    it('is termination-protected and deployed to its region', () => {
      expect(regionStacks.data.terminationProtection).toBe(true);
      expect(regionStacks.data.region).toBe(region);
      expect(regionStacks.api.region).toBe(region);
    });

    it('builds the table from the shared definition', () => {
      const key = (name: string, type: 'HASH' | 'RANGE') => ({ AttributeName: name, KeyType: type });
      data.resourceCountIs('AWS::DynamoDB::Table', 1);
      data.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        Properties: {
          KeySchema: [key(tableDefinition.partitionKey, 'HASH'), key(tableDefinition.sortKey, 'RANGE')],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          // Audit entries and idempotency records carry `expiresAt`; retention depends on this name.
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          GlobalSecondaryIndexes: tableDefinition.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [key(index.partitionKey, 'HASH'), key(index.sortKey, 'RANGE')],
            Projection: { ProjectionType: 'ALL' },
          })),
          // Non-production stage: protected only by retention.
          DeletionProtectionEnabled: false,
        },
      });
    });

    it('keeps users and the cursor key if the stack goes', () => {
      data.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          UsernameAttributes: ['email'],
          MfaConfiguration: 'OPTIONAL',
          Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
        }),
      });
      data.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
      const secrets = resourcesOf(data, 'AWS::SecretsManager::Secret');
      expect(secrets.map(([id]) => id).sort()).toEqual(
        [regionStacks.data.cursorKey, regionStacks.data.impersonationKey]
          .map((key) => logicalId(regionStacks.data, key.node.defaultChild))
          .sort(),
      );
      for (const [, secret] of secrets) expect(secret.DeletionPolicy).toBe('Retain');
    });
  });

  describe('functions', () => {
    it('has one function per route group, the authorizer, the audit consumer and the bootstrap', () => {
      const functions = resourcesOf(api, 'AWS::Lambda::Function');
      const keys = functions.map(([, fn]) => fn.Metadata?.[functionKeyMetadata]).sort();
      expect(keys).toEqual([...groupList.map((group) => `http/${group.name}`), 'authorizer', 'audit', 'bootstrap'].sort());
    });

    it('bootstraps the root org and the first platform admin once per stack, served by our own function', () => {
      api.hasResourceProperties('Custom::PlatformBootstrap', { AdminEmail: 'admin@platform.test' });
      const [, bootstrap] =
        resourcesOf(api, 'AWS::Lambda::Function').find(([, fn]) => fn.Metadata?.[functionKeyMetadata] === 'bootstrap') ?? [];
      expect(bootstrap?.Properties.Environment.Variables.USER_POOL_ID).toBeDefined();
    });

    it('runs every function with the project defaults', () => {
      for (const [, fn] of resourcesOf(api, 'AWS::Lambda::Function')) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: expect.any(String) } },
        });
        expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
        expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
      }
    });

    it('hands the audit consumer its retention from context (cdk.json: 400 days)', () => {
      const audit = api.toJSON().Resources[logicalId(regionStacks.api, regionStacks.api.audit.function.node.defaultChild)];
      expect(cdkJson.context.auditRetentionDays).toBe(400);
      expect(audit.Properties.Environment.Variables.AUDIT_RETENTION_DAYS).toBe('400');
    });

    it('hands the route groups the cursor key and the authorizer the user pool', () => {
      for (const group of groupList) {
        const fn = regionStacks.api.functionsByGroup.get(group.name);
        const variables = api.toJSON().Resources[logicalId(regionStacks.api, fn?.node.defaultChild)].Properties.Environment.Variables;
        expect(Object.keys(variables)).toContain('CURSOR_KEY_SECRET_ARN');
      }
      const authorizer = api.toJSON().Resources[logicalId(regionStacks.api, regionStacks.api.authorizer.node.defaultChild)];
      expect(authorizer.Properties.Environment.Variables).toMatchObject({
        AUTH_MODE: 'cognito',
        USER_POOL_ID: expect.anything(),
        USER_POOL_CLIENT_ID: expect.anything(),
      });
    });

    it('names the impersonation signing key to its signer and its verifier only', () => {
      const variablesOf = (fn: IFunction | undefined) =>
        api.toJSON().Resources[logicalId(regionStacks.api, fn?.node.defaultChild)].Properties.Environment.Variables as Record<
          string,
          unknown
        >;
      const holders = [...regionStacks.api.functionsByGroup.entries()]
        .filter(([, fn]) => 'IMPERSONATION_KEY_SECRET_ARN' in variablesOf(fn))
        .map(([name]) => name);
      expect(holders).toEqual(['impersonation']);
      const secretId = logicalId(regionStacks.data, regionStacks.data.impersonationKey.node.defaultChild);
      expect(flat(variablesOf(regionStacks.api.authorizer).IMPERSONATION_KEY_SECRET_ARN)).toContain(secretId);
      expect(flat(variablesOf(regionStacks.api.functionsByGroup.get('impersonation')).IMPERSONATION_KEY_SECRET_ARN)).toContain(secretId);
    });

    // One fresh Node process per function (a dozen of them): a loaded machine needs more than the default 30 s.
    it('bundles every function as an ESM index.mjs with source map, loadable by Node', { timeout: 180_000 }, () => {
      for (const [, fn] of resourcesOf(api, 'AWS::Lambda::Function')) {
        const assetPath = fn.Metadata?.['aws:asset:path'];
        expect(assetPath, `asset metadata of ${fn.Metadata?.[functionKeyMetadata]}`).toEqual(expect.stringMatching(/^asset\./));
        const bundle = join(outdir, String(assetPath), 'index.mjs');
        expect(existsSync(`${bundle}.map`)).toBe(true);
        expect(loadBundle(bundle, region)).toBe('function');
      }
    });
  });

  describe('IAM', () => {
    const roleOf = (fn: IFunction | undefined): string => {
      if (!fn?.role) throw new Error('function without a role');
      return logicalId(regionStacks.api, fn.role.node.defaultChild);
    };

    it.each(groupList.map((group) => [group.name, group.access] as const))(
      'grants the %s group %s table access and nothing broader',
      (name, access) => {
        const actions = actionsOfRole(api, roleOf(regionStacks.api.functionsByGroup.get(name)));
        const dynamo = [...actions].filter((action) => action.startsWith('dynamodb:'));
        expect(dynamo).toEqual(expect.arrayContaining(readActions));
        if (access === 'RO') expect(dynamo.filter((action) => writeActions.includes(action))).toEqual([]);
        else expect(dynamo).toEqual(expect.arrayContaining(writeActions));
        expect(dynamo.every((action) => [...readActions, ...writeActions].includes(action))).toBe(true);
      },
    );

    it('lets only the groups that invite people (application approval, the portal adding requesters) create users in the pool', () => {
      const inviting = groupList.filter((group) => group.invitesUsers).map((group) => group.name);
      expect(inviting.sort()).toEqual(['applications', 'portal']);
      for (const group of groupList) {
        const fn = regionStacks.api.functionsByGroup.get(group.name);
        const statements = statementsOfRole(api, roleOf(fn)).filter((statement) => statement.Effect === 'Allow');
        const cognito = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('cognito-idp:')));
        const variables = api.toJSON().Resources[logicalId(regionStacks.api, fn?.node.defaultChild)].Properties.Environment.Variables;
        if (inviting.includes(group.name)) {
          expect(cognito.flatMap(actionsOf)).toEqual(['cognito-idp:AdminCreateUser']);
          expect(flat(cognito[0]?.Resource)).toContain('UserPool');
          expect(variables.USER_POOL_ID).toBeDefined();
        } else {
          expect(cognito, group.name).toEqual([]);
          expect(variables.USER_POOL_ID, group.name).toBeUndefined();
        }
      }
    });

    it('gives the authorizer read-only access', () => {
      const actions = [...actionsOfRole(api, roleOf(regionStacks.api.authorizer))];
      expect(actions.filter((action) => writeActions.includes(action))).toEqual([]);
    });

    /** The table's ARN as the API stack sees it, to compare statement resources with. */
    const tableArnIn = (statements: Statement[]) => {
      const read = statements.find((statement) => statement.Effect === 'Allow' && covers(statement, 'dynamodb:GetItem'));
      const tableId = logicalId(regionStacks.data, regionStacks.data.table.node.defaultChild);
      expect(flat(read?.Resource)).toContain(tableId);
      expect(flat(read?.Resource)).not.toContain('/index/');
      return read?.Resource;
    };
    const auditDenyOf = (statements: Statement[]) => statements.filter((statement) => statement.Effect === 'Deny');

    it.each([...groupList.filter((group) => group.access === 'RW').map((group) => `http/${group.name}`), 'bootstrap'])(
      'lets %s write the table but denies it every write of an audit item',
      (key) => {
        const fn = functionRoles(api).find((candidate) => candidate.key === key);
        if (!fn) throw new Error(`no function ${key}`);
        const statements = statementsOfRole(api, fn.roleId);
        expect([...actionsOfRole(api, fn.roleId)]).toEqual(expect.arrayContaining(writeActions));
        expect(auditDenyOf(statements)).toEqual([
          { Effect: 'Deny', Action: [...writeActions].sort(), Resource: tableArnIn(statements), Condition: auditDenyCondition },
        ]);
      },
    );

    it('lets the audit consumer read the table and its stream, and write nothing but audit items, with PutItem only', () => {
      const statements = statementsOfRole(api, roleOf(regionStacks.api.audit.function));
      const actions = actionsOfRole(api, roleOf(regionStacks.api.audit.function));
      expect([...actions]).toEqual(
        expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', ...readActions]),
      );
      // PutItem only under the LeadingKeys condition, on the table alone.
      const puts = statements.filter((statement) => covers(statement, 'dynamodb:PutItem'));
      expect(puts).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArnIn(statements), Condition: auditAllowCondition },
      ]);
      // No other write, in any statement, Allow or Deny.
      for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLInsert']) {
        expect(
          statements.filter((statement) => covers(statement, action)),
          action,
        ).toEqual([]);
      }
    });

    it('lets no function but the audit consumer write audit items', () => {
      const auditRole = roleOf(regionStacks.api.audit.function);
      const functions = functionRoles(api);
      expect(functions.filter((fn) => fn.roleId === auditRole).map((fn) => fn.key)).toEqual(['audit']);
      for (const { key, roleId } of functions.filter((fn) => fn.roleId !== auditRole)) {
        const statements = statementsOfRole(api, roleId);
        // Read-only or not, every other function carries the Deny, so a write grant added later cannot reach audit items.
        expect(auditDenyOf(statements), key).toEqual([
          expect.objectContaining({ Action: [...writeActions].sort(), Condition: auditDenyCondition }),
        ]);
      }
      // Any role of either stack allowed a DynamoDB write, function or not: the audit consumer under its condition, or one with the Deny.
      for (const template of [data, api]) {
        for (const [id, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
          const statements = policy.Properties.PolicyDocument.Statement as Statement[];
          const writes = statements.filter(
            (statement) => statement.Effect === 'Allow' && writeActions.some((action) => covers(statement, action)),
          );
          for (const role of writes.length > 0 ? ([policy.Properties.Roles].flat() as { Ref: string }[]) : []) {
            if (role.Ref === auditRole) {
              for (const statement of writes)
                expect(statement, id).toMatchObject({ Action: 'dynamodb:PutItem', Condition: auditAllowCondition });
            } else {
              expect(auditDenyOf(statementsOfRole(template, role.Ref)), `${id} → ${role.Ref}`).toEqual([
                expect.objectContaining({ Action: [...writeActions].sort(), Condition: auditDenyCondition }),
              ]);
            }
          }
        }
      }
    });

    it('lets the api-keys function alone manage usage-plan keys: create one, attach it to the partner plan, delete one', () => {
      // Prepare
      const keysFn = regionStacks.api.functionsByGroup.get('api-keys');
      const planId = logicalId(regionStacks.api, regionStacks.api.restApi.usagePlan.node.defaultChild);
      const [[, parameter] = []] = resourcesOf(api, 'AWS::SSM::Parameter');
      const parameterName = String(parameter?.Properties.Name);

      // Act
      const statements = statementsOfRole(api, roleOf(keysFn)).filter((statement) =>
        actionsOf(statement).some((action) => /^(apigateway|ssm):/.test(action)),
      );
      const variables = api.toJSON().Resources[logicalId(regionStacks.api, keysFn?.node.defaultChild)].Properties.Environment.Variables;

      // Assess: the plan's id reaches the function through a parameter named at synth (a reference would be a cycle; see UsagePlanKeys).
      expect(parameter?.Properties).toMatchObject({ Type: 'String', Value: { Ref: planId } });
      expect(variables.USAGE_PLAN_ID_PARAMETER).toBe(parameterName);
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'ssm:GetParameter',
          Resource: { 'Fn::Join': ['', [`arn:aws:ssm:${region}:`, { Ref: 'AWS::AccountId' }, `:parameter${parameterName}`]] },
        },
        {
          Effect: 'Allow',
          Action: 'apigateway:POST',
          Resource: [
            `arn:aws:apigateway:${region}::/apikeys`,
            { 'Fn::Join': ['', [`arn:aws:apigateway:${region}::/usageplans/`, { Ref: planId }, '/keys']] },
          ],
        },
        { Effect: 'Allow', Action: 'apigateway:DELETE', Resource: `arn:aws:apigateway:${region}::/apikeys/*` },
      ]);
      // No other function may touch API Gateway or SSM.
      for (const { key, roleId } of functionRoles(api).filter((fn) => fn.roleId !== roleOf(keysFn))) {
        expect(
          [...actionsOfRole(api, roleId)].filter((action) => /^(apigateway|ssm):/.test(action)),
          key,
        ).toEqual([]);
      }
    });

    it('lets only the authorizer and the impersonation group read the impersonation signing key', () => {
      const secretId = logicalId(regionStacks.data, regionStacks.data.impersonationKey.node.defaultChild);
      const cursorId = logicalId(regionStacks.data, regionStacks.data.cursorKey.node.defaultChild);
      expect(secretId).not.toBe(cursorId);
      const readers = functionRoles(api)
        .filter(({ roleId }) =>
          statementsOfRole(api, roleId).some(
            (statement) =>
              statement.Effect === 'Allow' &&
              covers(statement, 'secretsmanager:GetSecretValue') &&
              flat(statement.Resource).includes(secretId),
          ),
        )
        .map(({ key }) => key)
        .sort();
      expect(readers).toEqual(['authorizer', 'http/impersonation']);
      // Never through a wildcard resource either.
      for (const [, policy] of resourcesOf(api, 'AWS::IAM::Policy')) {
        for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
          if (covers(statement, 'secretsmanager:GetSecretValue')) expect(flat(statement.Resource)).not.toBe('"*"');
        }
      }
    });

    it('never grants wildcard DynamoDB actions or table-wide index wildcards', () => {
      const policies = flat(api.findResources('AWS::IAM::Policy'));
      expect(policies).not.toMatch(/dynamodb:\*|dynamodb:Scan/);
      expect(policies).not.toContain('/index/*');
    });
  });

  describe('REST API', () => {
    it('has a method for every route, with the authorizer on caller routes only', () => {
      const paths = resourcePaths(api);
      const authorizerId = logicalId(regionStacks.api, regionStacks.api.restApi.authorizer.node.defaultChild);
      const methods = resourcesOf(api, 'AWS::ApiGateway::Method').map(([, method]) => method.Properties);
      for (const route of routes) {
        const method = methods.find(
          (candidate) => candidate.HttpMethod === route.method && paths.get(candidate.ResourceId.Ref) === route.path,
        );
        expect(method, `${route.method} ${route.path}`).toBeDefined();
        const fn = regionStacks.api.functionsByGroup.get(route.group.name);
        expect(method).toMatchObject({ OperationName: route.id, Integration: { Type: 'AWS_PROXY' } });
        expect(flat(method?.Integration.Uri)).toContain(logicalId(regionStacks.api, fn?.node.defaultChild));
        if (route.auth === 'caller') expect(method).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
        else expect(method?.AuthorizationType).toBe('NONE');
      }
    });

    it('answers a wrong method on a known path from the group function (405), never through the authorizer', () => {
      const paths = resourcePaths(api);
      const fallbacks = resourcesOf(api, 'AWS::ApiGateway::Method')
        .map(([, method]) => method.Properties)
        .filter((method) => method.OperationName === methodNotAllowedOperation);
      expect(fallbacks.map((method) => paths.get(method.ResourceId.Ref)).sort()).toEqual(
        [...new Set(routes.map((route) => route.path))].sort(),
      );
      for (const method of fallbacks) expect(method).toMatchObject({ HttpMethod: 'ANY', AuthorizationType: 'NONE' });
    });

    it('runs the REQUEST authorizer on every call, uncached', () => {
      api.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
      const [, authorizer] = resourcesOf(api, 'AWS::ApiGateway::Authorizer')[0] ?? [];
      expect(authorizer?.Properties).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0 });
      expect(authorizer?.Properties.IdentitySource || undefined).toBeUndefined();
      expect(flat(authorizer?.Properties.AuthorizerUri)).toContain(
        logicalId(regionStacks.api, regionStacks.api.authorizer.node.defaultChild),
      );
    });

    it('logs access as JSON and throttles the stage from context', () => {
      const throttling = cdkJson.context.throttling as { rateLimit: number; burstLimit: number };
      const [, stage] = resourcesOf(api, 'AWS::ApiGateway::Stage')[0] ?? [];
      expect(stage?.Properties).toMatchObject({
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: expect.anything() },
        MethodSettings: expect.arrayContaining([
          expect.objectContaining({
            HttpMethod: '*',
            ResourcePath: '/*',
            DataTraceEnabled: false,
            ThrottlingRateLimit: throttling.rateLimit,
            ThrottlingBurstLimit: throttling.burstLimit,
          }),
        ]),
      });
      expect(Object.keys(JSON.parse(stage?.Properties.AccessLogSetting.Format))).toEqual(
        expect.arrayContaining(['requestId', 'status', 'principalId']),
      );
    });

    it('throttles the public application form on its own, tighter than the stage (method throttling)', () => {
      const throttled = (routes as readonly RouteDef[]).filter((route) => route.throttle);
      expect(throttled.map((route) => route.id)).toEqual(['submitApplication']);
      const [, stage] = resourcesOf(api, 'AWS::ApiGateway::Stage')[0] ?? [];
      for (const route of throttled) {
        // A method setting names its resource path with each `/` escaped as `~1`, after a leading `/`.
        expect(stage?.Properties.MethodSettings).toContainEqual(
          expect.objectContaining({
            HttpMethod: route.method,
            ResourcePath: `/${route.path.replaceAll('/', '~1')}`,
            ThrottlingRateLimit: route.throttle?.rateLimit,
            ThrottlingBurstLimit: route.throttle?.burstLimit,
          }),
        );
        const stageLimits = cdkJson.context.throttling as { rateLimit: number; burstLimit: number };
        expect(route.throttle?.rateLimit).toBeLessThan(stageLimits.rateLimit);
      }
    });

    it('keeps a usage plan for partner keys, fed by the authorizer', () => {
      const usagePlan = cdkJson.context.usagePlan as { rateLimit: number; burstLimit: number; quotaLimit: number; quotaPeriod: string };
      api.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
      api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: usagePlan.rateLimit, BurstLimit: usagePlan.burstLimit },
        Quota: { Limit: usagePlan.quotaLimit, Period: usagePlan.quotaPeriod },
        ApiStages: [Match.objectLike({ ApiId: { Ref: logicalId(regionStacks.api, regionStacks.api.restApi.api.node.defaultChild) } })],
      });
    });

    it('requires a usage-plan key on every caller route, which the authorizer supplies, and on no public route', () => {
      const paths = resourcePaths(api);
      const methods = resourcesOf(api, 'AWS::ApiGateway::Method').map(([, method]) => method.Properties);
      for (const method of methods) {
        const route = routes.find(
          (candidate) => candidate.method === method.HttpMethod && candidate.path === paths.get(method.ResourceId.Ref),
        );
        expect(method.ApiKeyRequired === true, `${method.HttpMethod} ${paths.get(method.ResourceId.Ref)}`).toBe(route?.auth === 'caller');
      }
    });

    it('gives people’s calls a usage plan and key of their own, whose value the authorizer names', () => {
      // Prepare
      const interactiveId = logicalId(regionStacks.api, regionStacks.api.restApi.interactiveUsagePlan.node.defaultChild);
      const authorizer = api.toJSON().Resources[logicalId(regionStacks.api, regionStacks.api.authorizer.node.defaultChild)];

      // Act
      const plans = resourcesOf(api, 'AWS::ApiGateway::UsagePlan');
      const keys = resourcesOf(api, 'AWS::ApiGateway::ApiKey');
      const links = resourcesOf(api, 'AWS::ApiGateway::UsagePlanKey').map(([, link]) => link.Properties);

      // Assess: two plans; the partner plan's keys come at run time, the interactive plan holds one key, without limits of its own.
      expect(plans).toHaveLength(2);
      const [, interactive] = plans.find(([id]) => id === interactiveId) ?? [];
      expect(interactive?.Properties.Throttle).toBeUndefined();
      expect(interactive?.Properties.Quota).toBeUndefined();
      expect(keys).toHaveLength(1);
      const [[keyId, key] = []] = keys;
      expect(key?.Properties).toMatchObject({ Enabled: true, Value: authorizer.Properties.Environment.Variables.INTERACTIVE_USAGE_KEY });
      expect(key?.Properties.Value).toMatch(/^[0-9a-f]{40}$/);
      expect(links).toEqual([{ KeyId: { Ref: keyId }, KeyType: 'API_KEY', UsagePlanId: { Ref: interactiveId } }]);
    });

    it.each([
      ['UNAUTHORIZED', '401'],
      ['ACCESS_DENIED', '403'],
      ['THROTTLED', '429'],
      ['MISSING_AUTHENTICATION_TOKEN', '404'],
      ['DEFAULT_4XX', undefined],
      ['DEFAULT_5XX', undefined],
    ])('answers %s with a problem document', (type, status) => {
      const [, response] =
        resourcesOf(api, 'AWS::ApiGateway::GatewayResponse').find(([, candidate]) => candidate.Properties.ResponseType === type) ?? [];
      expect(response?.Properties.StatusCode).toBe(status);
      expect(response?.Properties.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
      });
      const body = JSON.parse(
        String(response?.Properties.ResponseTemplates['application/json'])
          .replace('$context.error.messageString', '"message"')
          .replace('$context.requestId', 'request-id'),
      );
      expect(body).toMatchObject({ type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
      if (status) expect(body.status).toBe(Number(status));
    });
  });

  describe('audit stream consumer', () => {
    it('is wired with bounded retries, bisection, partial failures and an S3 failure destination', () => {
      const bucketId = logicalId(regionStacks.api, regionStacks.api.auditFailures.bucket.node.defaultChild);
      api.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(regionStacks.api, regionStacks.api.audit.function.node.defaultChild) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 3600,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [bucketId, 'Arn'] } } },
      });
      const [[, mapping] = []] = resourcesOf(api, 'AWS::Lambda::EventSourceMapping');
      // The table's stream, not some other source.
      expect(flat(mapping?.Properties.EventSourceArn)).toContain('StreamArn');
    });

    it('never leaves a stream mapping on the default infinite retries or record age', () => {
      for (const [id, mapping] of resourcesOf(api, 'AWS::Lambda::EventSourceMapping')) {
        const { MaximumRetryAttempts, MaximumRecordAgeInSeconds } = mapping.Properties;
        expect(MaximumRetryAttempts, id).toEqual(expect.any(Number));
        expect(MaximumRetryAttempts, id).not.toBe(-1);
        expect(MaximumRecordAgeInSeconds, id).toEqual(expect.any(Number));
        expect(MaximumRecordAgeInSeconds, id).not.toBe(-1);
      }
    });

    it('may put failure records in the failure bucket and nothing more there', () => {
      const bucketId = logicalId(regionStacks.api, regionStacks.api.auditFailures.bucket.node.defaultChild);
      const s3 = statementsOfRole(api, logicalId(regionStacks.api, regionStacks.api.audit.function.role?.node.defaultChild)).filter(
        (statement) => actionsOf(statement).some((action) => action.startsWith('s3:')),
      );
      expect(s3).toEqual([
        { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] } },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } },
      ]);
    });

    it('queues every stored failure on an encrypted dead-letter queue whose depth is alarmed', () => {
      const queueId = logicalId(regionStacks.api, regionStacks.api.auditFailures.deadLetterQueue.node.defaultChild);
      api.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ SqsManagedSseEnabled: true }) });
      api.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } }),
      });
      api.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ source: ['aws.s3'], 'detail-type': ['Object Created'] }),
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })],
      });
      api.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
      api.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
      });
    });
  });

  it('hard-codes no physical names', () => {
    const named: Record<string, string> = {
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::S3::Bucket': 'BucketName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::SecretsManager::Secret': 'Name',
      'AWS::Cognito::UserPool': 'UserPoolName',
    };
    for (const template of [data, api]) {
      for (const [type, property] of Object.entries(named)) {
        for (const [id, resource] of resourcesOf(template, type))
          expect(resource.Properties?.[property], `${id}.${property}`).toBeUndefined();
      }
    }
  });

  it('passes cdk-nag (AwsSolutions and Serverless) with every exception acknowledged', () => {
    // Synthesis already fails on any violation, warnings included; this lists them readably for this region's stacks.
    const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      [regionStacks.data, regionStacks.api]
        .flatMap((stack) => pack.validateScope(stack).violations)
        .map((violation) => ({
          rule: violation.ruleName,
          severity: violation.severity,
          resources: violation.violatingResources.map((resource) => resource.constructPath),
        })),
    );
    expect(violations).toEqual([]);
    for (const stack of [regionStacks.data, regionStacks.api]) {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-|Serverless-'))).toEqual([]);
    }
  });
});

describe('production stage', () => {
  let data: Template;

  beforeAll(() => {
    // Only the data stack is asserted here, so no function is bundled (CDK's own switch for `cdk synth -e`).
    const { stacks } = synthesize({ stage: 'prod', region: 'eu-west-1', 'aws:cdk:bundling-stacks': [] });
    const [only] = stacks;
    if (!only) throw new Error('No stacks');
    data = Template.fromStack(only.data);
  }, 180_000);

  it('turns on deletion protection and threat protection', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    data.hasResourceProperties('AWS::Cognito::UserPool', {
      DeletionProtection: 'ACTIVE',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });
});

describe('audit retention from context', () => {
  it('hands a retention given with -c auditRetentionDays=… to the audit consumer', () => {
    // Prepare: no function is bundled, as for the production stage above; only the environment is read.
    const { stacks } = synthesize({ region: 'eu-west-1', auditRetentionDays: '30', 'aws:cdk:bundling-stacks': [] });
    const [only] = stacks;
    if (!only) throw new Error('No stacks');

    // Act
    const api = Template.fromStack(only.api);

    // Assess
    const audit = api.toJSON().Resources[logicalId(only.api, only.api.audit.function.node.defaultChild)];
    expect(audit.Properties.Environment.Variables.AUDIT_RETENTION_DAYS).toBe('30');
  }, 180_000);
});

let shared: ReturnType<typeof synthesize> | undefined;
/** One synthesis for both regions' describe blocks. */
function synthesizeShared(): ReturnType<typeof synthesize> {
  shared ??= synthesize({ regions });
  return shared;
}
