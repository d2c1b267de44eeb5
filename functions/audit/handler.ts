import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { laneOf, type StreamChange } from '#domain/audit/change';
import { type PathCache, recordChange } from '#domain/audit/record-change';
import { logger } from '../shared/logger.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The stream record in the domain's terms; Lambda's attribute values have the SDK's shape. */
export const toStreamChange = (record: DynamoDBRecord): StreamChange => {
  const { eventID, eventName, dynamodb, userIdentity } = record;
  if (!eventID || !eventName || !dynamodb?.Keys) throw new Error('Not a DynamoDB stream record');
  return {
    eventID,
    eventName,
    keys: dynamodb.Keys as StreamChange['keys'],
    newImage: dynamodb.NewImage as StreamChange['newImage'],
    oldImage: dynamodb.OldImage as StreamChange['oldImage'],
    approximateCreationTime: dynamodb.ApproximateCreationDateTime,
    userIdentity: userIdentity as StreamChange['userIdentity'],
  };
};

/**
 * Orders the batch's work: records of one org run one after another, in
 * stream order (they share the org's chain head, and an item's changes must
 * be recorded in the order they happened); different orgs run in parallel.
 */
const planLanes = (records: readonly DynamoDBRecord[]) => {
  const tails = new Map<string, Promise<void>>();
  const plan = new Map<DynamoDBRecord, { after: Promise<void>; done: () => void }>();
  for (const record of records) {
    let lane: string;
    try {
      lane = laneOf(toStreamChange(record));
    } catch {
      lane = record.eventID ?? 'unknown';
    }
    let done = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    plan.set(record, { after: tails.get(lane) ?? Promise.resolve(), done });
    tails.set(lane, finished);
  }
  return plan;
};

/**
 * The audit consumer of the table's stream. Each record becomes (at most) one
 * audit entry; a record that cannot be recorded is reported as a partial
 * batch failure, so the event source mapping retries it alone (bisecting) and
 * finally hands it to the failure destination while the rest of the batch lands.
 */
export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  const cache: PathCache = new Map();
  const plan = planLanes(event.Records);
  const recordHandler = async (record: DynamoDBRecord): Promise<string> => {
    const step = plan.get(record);
    await step?.after;
    try {
      const outcome = await recordChange(toStreamChange(record), cache);
      logger.debug('stream record', { eventId: record.eventID, eventName: record.eventName, outcome });
      return outcome;
    } catch (error) {
      logger.error('stream record not recorded', {
        eventId: record.eventID,
        eventName: record.eventName,
        keys: record.dynamodb?.Keys,
        error,
      });
      throw error;
    } finally {
      step?.done();
    }
  };
  return processPartialResponse(event, recordHandler, processor, { context, processInParallel: true, throwOnFullBatchFailure: false });
};
