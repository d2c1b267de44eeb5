import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { RouteDef, RouteGroup } from '#functions/http/route-table-types';
import { impersonationGroup } from '#functions/http/routes/impersonation';
import type { PortalConfig } from '../config.ts';
import { AuditConsumer } from '../constructs/audit-consumer.ts';
import { AuditFailures } from '../constructs/audit-failures.ts';
import { PlatformBootstrap } from '../constructs/platform-bootstrap.ts';
import { PortalFunction } from '../constructs/portal-function.ts';
import { RouteTableApi } from '../constructs/route-table-api.ts';
import { UsagePlanKeys } from '../constructs/usage-plan-keys.ts';
import type { DataStack } from './data-stack.ts';

export interface ApiStackProps extends StackProps {
  config: PortalConfig;
  data: DataStack;
  groups: readonly RouteGroup[];
  routes: readonly RouteDef[];
}

const pascalCase = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');

/**
 * The replaceable half: one function per route group, the authorizer, the
 * REST API built from the route table, and the audit pipeline (the stream
 * consumer and where its failed batches go). The failure bucket and queue
 * are the only state here; they are retained if the stack is deleted, and
 * live next to the consumer because its IAM grant must name the bucket.
 */
export class ApiStack extends Stack {
  readonly functionsByGroup: ReadonlyMap<string, PortalFunction>;
  readonly authorizer: PortalFunction;
  readonly audit: AuditConsumer;
  readonly auditFailures: AuditFailures;
  readonly restApi: RouteTableApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    const functionsByGroup = new Map<string, PortalFunction>();
    for (const group of props.groups) {
      const fn = new PortalFunction(this, `${pascalCase(group.name)}Routes`, {
        entry: group.entry,
        functionKey: `http/${group.name}`,
        description: group.description,
        logRetention,
        environment: { CURSOR_KEY_SECRET_ARN: data.cursorKey.secretArn },
      });
      fn.bindTable(data.table, { accessMode: group.access });
      data.cursorKey.grantRead(fn);
      if (group.invitesUsers) {
        // Groups that add people by email (approving a programme application, the portal's requesters) create them in the pool; nothing more.
        fn.addEnvironment('USER_POOL_ID', data.users.userPool.userPoolId);
        data.users.userPool.grant(fn, 'cognito-idp:AdminCreateUser');
      }
      functionsByGroup.set(group.name, fn);
    }
    this.functionsByGroup = functionsByGroup;
    // Only the group that starts sessions signs their tokens; the authorizer verifies them. No one else reads the key.
    const signer = functionsByGroup.get(impersonationGroup.name);
    if (signer) {
      signer.addEnvironment('IMPERSONATION_KEY_SECRET_ARN', data.impersonationKey.secretArn);
      data.impersonationKey.grantRead(signer);
    }

    this.authorizer = new PortalFunction(this, 'Authorizer', {
      entry: 'functions/authorizer/handler.ts',
      functionKey: 'authorizer',
      description: 'REQUEST authorizer: resolves the caller from a bearer token or an API key',
      timeout: Duration.seconds(5),
      logRetention,
      environment: {
        AUTH_MODE: 'cognito',
        USER_POOL_ID: data.users.userPool.userPoolId,
        USER_POOL_CLIENT_ID: data.users.webClient.userPoolClientId,
        IMPERSONATION_KEY_SECRET_ARN: data.impersonationKey.secretArn,
      },
    });
    // It only looks up who a verified email belongs to.
    this.authorizer.bindTable(data.table, { accessMode: 'RO' });
    // It verifies impersonation tokens.
    data.impersonationKey.grantRead(this.authorizer);

    this.restApi = new RouteTableApi(this, 'Http', {
      stageName: config.stage,
      routes: props.routes,
      functionsByGroup: functionsByGroup as ReadonlyMap<string, IFunction>,
      authorizerFunction: this.authorizer,
      throttling: config.throttling,
      usagePlan: config.usagePlan,
      logRetention,
    });

    // The authorizer names this usage key for people's calls (see RouteTableApi); a literal, so no dependency.
    this.authorizer.addEnvironment('INTERACTIVE_USAGE_KEY', this.restApi.interactiveUsageKey);
    // Partner keys join the usage plan as they are created.
    const keysFunction = functionsByGroup.get('api-keys');
    if (keysFunction) new UsagePlanKeys(this, 'UsagePlanKeys', { usagePlan: this.restApi.usagePlan, keysFunction });

    new PlatformBootstrap(this, 'Bootstrap', {
      table: data.table,
      userPool: data.users.userPool,
      adminEmail: config.platformAdminEmail,
      logRetention,
    });

    this.auditFailures = new AuditFailures(this, 'AuditFailures');
    this.audit = new AuditConsumer(this, 'Audit', {
      table: data.table,
      failureBucket: this.auditFailures.bucket,
      auditRetentionDays: config.auditRetentionDays,
      logRetention,
    });
  }
}
