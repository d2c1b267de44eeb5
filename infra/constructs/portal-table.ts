import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '#domain/db/table-definition';

export interface PortalTableProps {
  /** Production tables refuse deletion (deletion protection) on top of being retained. */
  production: boolean;
}

const key = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The single table, built from the same definition the local runtime uses, so
 * the keys, indexes, stream and TTL that tests run against are what ships.
 *
 * On-demand capacity (traffic is spiky and per-tenant), point-in-time
 * recovery, AWS-managed KMS encryption (key use shows in CloudTrail, and
 * no function needs the kms:Decrypt grants a customer-managed key would
 * require). The table is always retained: a replaced or deleted stack must
 * never take tenants' data with it.
 */
export class PortalTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, { production }: PortalTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: key(tableDefinition.partitionKey),
      sortKey: key(tableDefinition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      stream: StreamViewType[tableDefinition.streamViewType],
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      deletionProtection: production,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDefinition.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
