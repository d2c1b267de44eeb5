import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * What a stream event source mapping writes to an S3 on-failure destination
 * for a batch it gave up on (Lambda developer guide, "Retain discarded
 * records for a DynamoDB event source"). The local poller writes the same
 * document to its dead-letter folder, so one redrive tool reads both.
 */
export interface StreamFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    /** `RetryAttemptsExhausted` here; AWS also writes `RecordAgeExceeded`. */
    condition: string;
    approximateInvokeCount: number;
  };
  responseContext: {
    statusCode: number;
    executedVersion: string;
    /** `Unhandled` when the last invocation threw or timed out; absent when it reported the records as failed. */
    functionError?: string;
  };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  /** The invocation's event, `{"Records":[…]}`, as an escaped JSON string: only S3 destinations carry it. */
  payload: string;
}

export interface FailedBatch {
  records: readonly DynamoDBRecord[];
  shardId: string;
  streamArn: string;
  functionArn: string;
  invokeCount: number;
  functionError: boolean;
  at?: Date;
}

/** The record failure documents name arrival times in whole seconds, as `2019-11-14T00:13:19Z`. */
const arrivalOf = (record: DynamoDBRecord | undefined): string => {
  const seconds = record?.dynamodb?.ApproximateCreationDateTime ?? 0;
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

/** The failure document for records given up on, shaped as AWS writes it to S3. */
export const failureRecordOf = (batch: FailedBatch): StreamFailureRecord => {
  const first = batch.records[0];
  const last = batch.records.at(-1);
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: batch.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: batch.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(batch.functionError ? { functionError: 'Unhandled' } : {}),
    },
    version: '1.0',
    timestamp: (batch.at ?? new Date()).toISOString(),
    DDBStreamBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first?.dynamodb?.SequenceNumber ?? '',
      endSequenceNumber: last?.dynamodb?.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: arrivalOf(first),
      approximateArrivalOfLastRecord: arrivalOf(last),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
    payload: JSON.stringify({ Records: batch.records }),
  };
};

export class UnreadableFailureRecordError extends Error {
  override readonly name = 'UnreadableFailureRecordError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The stream records a stored failure document holds. The payload is a JSON
 * string in what AWS writes; an already parsed object is taken too. A document
 * without a payload (what an SQS or SNS destination gets) holds no records and
 * is refused: its records would have to be read back from the stream.
 */
export const recordsOfFailure = (text: string): DynamoDBRecord[] => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UnreadableFailureRecordError('Not JSON', { cause: error });
  }
  if (!isObject(document) || !isObject(document.DDBStreamBatchInfo)) {
    throw new UnreadableFailureRecordError('Not a DynamoDB stream failure record (no DDBStreamBatchInfo)');
  }
  if (document.payload === undefined) {
    throw new UnreadableFailureRecordError('No payload: only S3 failure records carry the stream records');
  }
  let payload: unknown = document.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch (error) {
      throw new UnreadableFailureRecordError('The payload is not JSON', { cause: error });
    }
  }
  const records = isObject(payload) ? payload.Records : undefined;
  if (!Array.isArray(records) || records.length === 0 || !records.every((record) => isObject(record) && isObject(record.dynamodb))) {
    throw new UnreadableFailureRecordError('The payload holds no stream records');
  }
  return records as DynamoDBRecord[];
};
