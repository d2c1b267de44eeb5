import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../shared/logger.ts';

/*
 * Placeholder consumer of the table's stream: the audit issue (#3) replaces the
 * record handler with the real entry writer. It is kept small on purpose; what
 * matters now is the shape (partial batch responses), which the stack's event
 * source mapping relies on (ReportBatchItemFailures).
 */
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
  logger.info('stream record', { eventId: record.eventID, eventName: record.eventName, keys: record.dynamodb?.Keys });
};

export const handler = async (event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
