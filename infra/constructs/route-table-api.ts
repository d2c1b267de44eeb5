import { createHash } from 'node:crypto';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKey,
  ApiKeySourceType,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  Period,
  RequestAuthorizer,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDef } from '#functions/http/route-table-types';
import type { ThrottleConfig, UsagePlanConfig } from '../config.ts';
import { addProblemResponses } from './problem-responses.ts';

export interface RouteTableApiProps {
  stageName: string;
  routes: readonly RouteDef[];
  /** The function serving each route group, by group name. */
  functionsByGroup: ReadonlyMap<string, IFunction>;
  authorizerFunction: IFunction;
  throttling: ThrottleConfig;
  usagePlan: UsagePlanConfig;
  logRetention: RetentionDays;
}

/** Operation name of the fallback method that turns a wrong method on a known path into a 405 from the handler. */
export const methodNotAllowedOperation = 'methodNotAllowed';

const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    extendedRequestId: AccessLogField.contextExtendedRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    ip: AccessLogField.contextIdentitySourceIp(),
    userAgent: AccessLogField.contextIdentityUserAgent(),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    path: AccessLogField.contextPath(),
    protocol: AccessLogField.contextProtocol(),
    status: AccessLogField.contextStatus(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    authorizerLatency: AccessLogField.contextAuthorizerIntegrationLatency(),
    principalId: AccessLogField.contextAuthorizerPrincipalId(),
    apiKeyId: AccessLogField.contextIdentityApiKeyId(),
    errorType: '$context.error.responseType',
    errorMessage: AccessLogField.contextErrorMessage(),
    xrayTraceId: AccessLogField.contextXrayTraceId(),
  }),
);

/**
 * The public REST API, built from the route table and nothing else: one
 * method per route, proxied to its group's function, behind the REQUEST
 * authorizer unless the route is public.
 *
 * The authorizer has no identity sources and no result cache: API Gateway
 * then calls it on every request whatever credentials it carries (a bearer
 * token today, `x-api-key` later), and a revoked key or role never outlives
 * the call that revoked it. Every caller route requires an API key, which
 * the authorizer supplies (the API's key source): the partner key's own
 * usage-plan key, or the interactive callers' key for bearer tokens, so the
 * usage plans throttle and count every call.
 *
 * Each path that has routes also gets an unauthenticated ANY method to its
 * group's function, whose router answers 405 with `Allow` before reading
 * anything; API Gateway matches explicit methods first.
 */
export class RouteTableApi extends Construct {
  readonly api: RestApi;
  readonly authorizer: RequestAuthorizer;
  readonly usagePlan: UsagePlan;
  /** The plan of people's calls (bearer tokens), with its one key: `apiKeyRequired` leaves no caller without a plan. */
  readonly interactiveUsagePlan: UsagePlan;
  /** The value of that key, which the authorizer names for people's calls. Not a secret: see below. */
  readonly interactiveUsageKey: string;

  constructor(scope: Construct, id: string, props: RouteTableApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    // Routes with a throttle of their own (the public application form) get method-level throttling on the stage.
    const methodOptions = Object.fromEntries(
      props.routes.flatMap((route) =>
        route.throttle
          ? [
              [
                `${route.path}/${route.method}`,
                { throttlingRateLimit: route.throttle.rateLimit, throttlingBurstLimit: route.throttle.burstLimit },
              ],
            ]
          : [],
      ),
    );

    this.api = new RestApi(this, 'Api', {
      // Derived from the stack (stage and region), so the console tells the APIs apart; API names need not be unique.
      restApiName: Stack.of(this).stackName,
      description: 'Partner Portal public API, built from the route table',
      endpointTypes: [EndpointType.REGIONAL],
      // Partners' keys are resolved by the authorizer (usageIdentifierKey), never read from a header by API Gateway.
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      // Access and execution logs need the account's API Gateway CloudWatch role; kept if the stack goes, as other APIs may rely on it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat,
        // Errors only, and never request or response bodies: they carry tokens and tenants' data.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        methodOptions,
      },
    });

    this.authorizer = new RequestAuthorizer(this, 'CallerAuthorizer', {
      handler: props.authorizerFunction,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });

    const integrations = new Map<string, LambdaIntegration>();
    const integrationFor = (group: string): LambdaIntegration => {
      const existing = integrations.get(group);
      if (existing) return existing;
      const handler = props.functionsByGroup.get(group);
      if (!handler) throw new Error(`Route group ${group} has no function`);
      // One API-wide invoke permission per function, not one per method: a function's resource policy is capped at 20 KB.
      const integration = new LambdaIntegration(handler, { proxy: true, scopePermissionToMethod: false });
      integrations.set(group, integration);
      return integration;
    };

    const publicMethods: Method[] = [];
    const groupByPath = new Map<string, string>();
    for (const route of props.routes) {
      const resource = this.api.root.resourceForPath(route.path);
      const method = resource.addMethod(
        route.method,
        integrationFor(route.group.name),
        route.auth === 'caller'
          ? // A usage plan only counts calls to methods that require a key; the authorizer names one for every caller it lets in.
            { operationName: route.id, authorizationType: AuthorizationType.CUSTOM, authorizer: this.authorizer, apiKeyRequired: true }
          : { operationName: route.id, authorizationType: AuthorizationType.NONE },
      );
      if (route.auth === 'public') publicMethods.push(method);
      if (!groupByPath.has(route.path)) groupByPath.set(route.path, route.group.name);
    }
    for (const [path, group] of groupByPath) {
      const fallback = this.api.root
        .resourceForPath(path)
        .addMethod('ANY', integrationFor(group), { operationName: methodNotAllowedOperation, authorizationType: AuthorizationType.NONE });
      publicMethods.push(fallback);
    }

    addProblemResponses(this.api);

    this.usagePlan = this.api.addUsagePlan('PartnerKeys', {
      description: 'Throttle and quota of partner API keys; keys are attached to it as they are created.',
      throttle: { rateLimit: props.usagePlan.rateLimit, burstLimit: props.usagePlan.burstLimit },
      quota: { limit: props.usagePlan.quotaLimit, period: Period[props.usagePlan.quotaPeriod] },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });

    // People's calls (web users, impersonation sessions) share one key in a plan of their own, without limits of its
    // own (the stage's throttling applies to them). API Gateway takes keys from the authorizer only, never from a
    // request header, so the key's value is no credential: it is derived from the stack's name (unique per stage and
    // region, as API Gateway wants key values unique) so the authorizer can be told it at synth.
    this.interactiveUsageKey = createHash('sha256')
      .update(`${Stack.of(this).stackName}/interactive-callers`)
      .digest('hex')
      .slice(0, 40);
    const interactiveKey = new ApiKey(this, 'InteractiveCallersKey', {
      description: 'Names the calls of people (bearer tokens) to the interactive usage plan; returned by the authorizer only.',
      value: this.interactiveUsageKey,
      enabled: true,
    });
    this.interactiveUsagePlan = this.api.addUsagePlan('InteractiveCallers', {
      description: 'Calls made with bearer tokens (web users, impersonation sessions): the stage throttling applies, no quota.',
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    this.interactiveUsagePlan.addApiKey(interactiveKey);

    this.suppressFindings(publicMethods);
  }

  private suppressFindings(publicMethods: readonly Method[]): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          "Requests are validated in the handlers against the route table's zod schemas, which also generate the OpenAPI document; API Gateway models would duplicate them.",
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are authenticated by the REQUEST authorizer, which verifies Cognito user pool tokens and (later) partner API keys; a Cognito authorizer cannot accept API keys.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason: 'No WAF web ACL yet: stage throttling and the usage plan bound abuse; a web ACL is a per-account deployment decision.',
      },
    );
    for (const method of publicMethods) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          method.httpMethod === 'ANY'
            ? 'Fallback that only answers 405 for a wrong method on a known path; the handler rejects it before any data is read.'
            : 'Public by the API contract (API.md): the route table marks it auth: public.',
      });
    }
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The AWS-maintained policy of the account-wide API Gateway logging role, which access and execution logs need.',
      });
    }
  }
}
