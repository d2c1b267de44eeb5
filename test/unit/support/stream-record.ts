import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

let sequence = 100;

/** A DynamoDB stream record as Lambda hands it over, built from items as ElectroDB stores them. */
export const streamRecord = (input: {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  before?: Record<string, unknown> | undefined;
  after?: Record<string, unknown> | undefined;
  eventID?: string;
  ttl?: boolean;
}): DynamoDBRecord => {
  const item = input.after ?? input.before ?? {};
  sequence += 1;
  return {
    eventID: input.eventID ?? `event-${sequence}`,
    eventName: input.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      ...(input.after ? { NewImage: marshall(input.after, { removeUndefinedValues: true }) as never } : {}),
      ...(input.before ? { OldImage: marshall(input.before, { removeUndefinedValues: true }) as never } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ApproximateCreationDateTime: 1_767_225_600,
    },
    ...(input.ttl ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
    eventSourceARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/unit/stream/2026-01-01T00:00:00.000',
  };
};
