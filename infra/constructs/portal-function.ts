import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { tableDefinition } from '#domain/db/table-definition';
import { writesAnyAuditItem, writesOnlyAuditItems } from './audit-key-conditions.ts';

/** The repository root: entries in the route table are relative to it, and esbuild resolves `#domain/*` from its package.json. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What a function may do with the table. `RO` never writes; `RW` also writes
 * (transactions included) anything but audit items; `AUDIT` reads as `RO`
 * and writes audit items only, with PutItem only (the audit consumer).
 */
export type TableAccessMode = 'RO' | 'RW' | 'AUDIT';

/** Reads. Only Query applies to an index; the others address the base table. */
const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/**
 * TransactWriteItems has no IAM action of its own: each contained Put, Update
 * and Delete is governed by the PutItem, UpdateItem and DeleteItem permissions
 * (AWS, "Using IAM with DynamoDB transactions", transaction-apis-iam.html)
 * and addresses one item, so the LeadingKeys conditions apply item by item.
 */
const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface PortalFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture' | 'logGroup' | 'role'> {
  /** Module path relative to the repository root; its `handler` export is the entry point. */
  entry: string;
  /**
   * Stable name of this function for tools outside CDK: it is written to the
   * template as `partner-portal:function` metadata next to `aws:asset:path`,
   * so the local runtime and the bench find the bundle in cdk.out.
   */
  functionKey: string;
  /** Powertools service name, which tags every log line and metric. */
  serviceName?: string;
  logRetention: RetentionDays;
}

export const functionKeyMetadata = 'partner-portal:function';

/**
 * A Lambda function with this project's defaults, so that every function is
 * built and observed the same way:
 *
 * - Node.js 22 on arm64 (Graviton: lower price per GB-second than x86).
 * - esbuild bundle, minified and tree-shaken, ESM (`index.mjs`) with a
 *   `createRequire` banner so CommonJS dependencies can still `require` Node
 *   built-ins. The AWS SDK v3 clients are bundled in rather than taken from
 *   the runtime: measured faster to initialise, and the version is pinned by
 *   our lock file instead of by the runtime's release.
 * - External source maps without sources content and `--enable-source-maps`,
 *   so stack traces point at the TypeScript lines while the bundle stays small.
 * - Its own log group with a fixed retention, and an execution role that may
 *   write to that group only (no AWSLambdaBasicExecutionRole managed policy).
 * - X-Ray active tracing; 1 GB of memory (init time falls with the CPU share
 *   that comes with memory) and a 10 s timeout, both overridable.
 *
 * Table access is granted with `bindTable`, never with the broad `grant*Data`.
 */
export class PortalFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PortalFunctionProps) {
    const { entry, functionKey, serviceName = 'partner-portal', logRetention, environment, bundling, ...rest } = props;
    // Created before super() because NodejsFunction takes both as props; they live next to the function.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: logRetention });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${functionKey} function`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      memorySize: 1024,
      timeout: Duration.seconds(10),
      ...rest,
      entry: join(projectRoot, entry),
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner:
          "import { createRequire as __portalCreateRequire } from 'node:module'; const require = __portalCreateRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: [],
        bundleAwsSDK: true,
        esbuildArgs: { '--tree-shaking': 'true' },
        // Sizes are reported by the bench; synth output stays quiet unless esbuild has something to warn about.
        logLevel: LogLevel.WARNING,
        ...bundling,
      },
    });
    (this.node.defaultChild as CfnFunction).addMetadata(functionKeyMetadata, functionKey);

    const runtimeReason =
      'Node.js 22 is the chosen runtime (issue #2); moving to a newer one is a deliberate, benchmarked change, not a lint fix.';
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "Never invoked asynchronously: API Gateway and the authorizer call synchronously, and stream batches fail to the event source mapping's own destination.",
      },
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource-level permissions (active tracing).',
    });
  }

  /**
   * Grants exactly what `accessMode` allows on the table (built from the
   * shared table definition) and its indexes, and hands the table name to
   * the handler as TABLE_NAME.
   *
   * Audit items are enforced in IAM (issue #3): every function but the audit
   * consumer gets an explicit Deny of writes whose partition key is an audit
   * key, whatever its mode, so neither a new RW function nor a broader grant
   * added later (`grantWriteData`) can write them; the audit consumer may
   * only PutItem, and only audit keys.
   */
  bindTable(table: ITable, { accessMode }: { accessMode: TableAccessMode }): void {
    this.addEnvironment('TABLE_NAME', table.tableName);
    // Index ARNs are named one by one from the shared definition rather than `index/*`.
    const indexArns = tableDefinition.globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
    this.addToRolePolicy(new PolicyStatement({ actions: readActions, resources: [table.tableArn] }));
    this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexArns }));
    if (accessMode === 'AUDIT') {
      // PutItem both creates entries and replaces a chain head; IAM cannot tell the two apart, the conditional writes and the hash chain do.
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn], conditions: writesOnlyAuditItems }),
      );
      return;
    }
    if (accessMode === 'RW') this.addToRolePolicy(new PolicyStatement({ actions: writeActions, resources: [table.tableArn] }));
    this.addToRolePolicy(
      new PolicyStatement({ effect: Effect.DENY, actions: writeActions, resources: [table.tableArn], conditions: writesAnyAuditItem }),
    );
  }
}
