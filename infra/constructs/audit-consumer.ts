import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  type DlqDestinationConfig,
  type IEventSourceDlq,
  type IEventSourceMapping,
  type IFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PortalFunction } from './portal-function.ts';

/**
 * S3 on-failure destination with a write-only grant. aws-cdk-lib's
 * S3OnFailureDestination grants read, list and delete on the whole bucket as
 * well; the consumer only ever needs to put one object per failed batch.
 */
class WriteOnlyS3FailureDestination implements IEventSourceDlq {
  constructor(private readonly bucket: IBucket) {}

  bind(_target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig {
    targetHandler.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }));
    // Lambda lists the bucket when it delivers a failure record (documented requirement of S3 destinations).
    targetHandler.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    return { destination: this.bucket.bucketArn };
  }
}

export interface AuditConsumerProps {
  table: ITable;
  /** Must be in the same stack: the acknowledged IAM finding names its logical id. */
  failureBucket: IBucket;
  auditRetentionDays: number;
  logRetention: RetentionDays;
}

/**
 * The table's stream consumer, which writes the audit entries.
 *
 * Retries are bounded (3 attempts, records older than an hour are given up)
 * because the default, retrying until the record expires, can stall a shard
 * for a day behind one poison record. Bisecting and partial batch responses
 * isolate a failing record so the rest of its batch still lands; what is
 * finally given up is kept whole in the failure bucket.
 */
export class AuditConsumer extends Construct {
  readonly function: PortalFunction;

  constructor(scope: Construct, id: string, props: AuditConsumerProps) {
    super(scope, id);
    this.function = new PortalFunction(this, 'Function', {
      entry: 'functions/audit/handler.ts',
      functionKey: 'audit',
      description: 'Turns table stream records into audit entries',
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      environment: { AUDIT_RETENTION_DAYS: String(props.auditRetentionDays) },
    });
    // Reads orgs, chain heads and tombstones; writes audit items only, with PutItem only (dynamodb:LeadingKeys).
    this.function.bindTable(props.table, { accessMode: 'AUDIT' });
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        onFailure: new WriteOnlyS3FailureDestination(props.failureBucket),
      }),
    );

    const bucketLogicalId = Stack.of(this).getLogicalId(props.failureBucket.node.defaultChild as CfnBucket);
    Validations.of(this.function.role ?? this.function).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'dynamodb:ListStreams accepts no resource-level permissions; the stream itself is granted by ARN.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
        reason: 'Lambda names one object per failed batch; the grant is PutObject only, on this bucket only.',
      },
    );
  }
}
