import type { AttributeValue as SdkAttributeValue, _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

type LambdaImage = Record<string, LambdaAttributeValue>;

/** The region the local stack pretends to be in; DynamoDB Local stamps its own (`ddblocal`) on records. */
const localRegion = 'local';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * Lambda hands binary values over as base64 text, where the SDK gives bytes;
 * everything else has the same shape in both.
 */
const lambdaValueOf = (value: SdkAttributeValue): LambdaAttributeValue => {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValueOf) };
  if (value.M !== undefined) return { M: lambdaImageOf(value.M) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
};

function lambdaImageOf(image: Record<string, SdkAttributeValue>): LambdaImage {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaValueOf(value)]));
}

const imageOf = (image: Record<string, SdkAttributeValue> | undefined): LambdaImage | undefined =>
  image ? lambdaImageOf(image) : undefined;

/**
 * One stream record as Lambda delivers it to a function: the shape of
 * GetRecords' record, but with the creation time as epoch seconds (the SDK
 * parses it into a Date), binary values as base64, the identity's fields in
 * lower camel case, and the stream's ARN as the event source.
 */
export const lambdaRecordOf = (record: SdkStreamRecord, streamArn: string): DynamoDBRecord => {
  const change = record.dynamodb;
  const created = change?.ApproximateCreationDateTime;
  const identity = record.userIdentity;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: localRegion,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: created.getTime() / 1000 } : {}),
      ...(change?.Keys ? { Keys: lambdaImageOf(change.Keys) } : {}),
      ...(change?.NewImage ? { NewImage: imageOf(change.NewImage) } : {}),
      ...(change?.OldImage ? { OldImage: imageOf(change.OldImage) } : {}),
      SequenceNumber: change?.SequenceNumber,
      SizeBytes: change?.SizeBytes,
      StreamViewType: change?.StreamViewType,
    },
    eventSourceARN: streamArn,
    ...(identity ? { userIdentity: { type: identity.Type, principalId: identity.PrincipalId } } : {}),
  };
};

/** The event a function gets for a batch; a copy each time, so a handler that mutates it cannot change a retry. */
export const streamEventOf = (records: readonly DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: structuredClone([...records]) });

/** A record's position in its shard; every record GetRecords returns has one. */
export const sequenceNumberOf = (record: DynamoDBRecord): string => {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!sequenceNumber) throw new Error(`Stream record ${record.eventID ?? '(no event id)'} has no sequence number`);
  return sequenceNumber;
};
