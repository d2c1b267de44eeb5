import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Where stream batches that the audit consumer gave up on end up, so that no
 * change is ever lost from the audit log.
 *
 * The event source mapping writes each failed batch to the bucket: an S3
 * failure destination stores the whole invocation record (the stream records
 * themselves), where an SQS destination would keep only shard positions that
 * expire with the stream after 24 hours. Every object written there raises
 * an EventBridge event that lands on the dead-letter queue: one message per
 * failed batch, pointing at its object. The queue is the redrive worklist and
 * its depth is alarmed.
 */
export class AuditFailures extends Construct {
  readonly bucket: Bucket;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Failed records are evidence for the audit trail: keep overwritten or deleted versions for a while.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Set on the L1 resource: the L2 `eventBridgeEnabled` goes through a custom-resource Lambda we do not need.
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const notification = new Rule(this, 'FailedBatchStored', {
      description: 'A failed audit stream batch was stored: queue it for redrive',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.bucket.bucketName] } },
      },
      targets: [new SqsQueue(this.deadLetterQueue)],
    });

    this.deadLetterAlarm = this.deadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'DeadLetterAlarm', {
        alarmDescription: 'Audit stream batches failed and wait for redrive: audit entries are missing until they are replayed.',
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });

    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Written only by the audit consumer and read only by operators redriving failures; object-level access belongs to CloudTrail data events, and a log bucket would itself need this exemption.',
    });
    Validations.of(this.deadLetterQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of failed audit batches.' },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is itself the dead-letter queue of failed audit batches; only the redrive tool reads it.',
      },
    );
    Validations.of(notification).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason:
        'The bucket, not the queue, holds the failed batch: an undelivered notification loses no record, and the redrive tool can list the bucket.',
    });
  }
}
