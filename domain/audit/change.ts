import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { stableJson } from '../shared/stable-json.ts';
import { auditCatalog } from './catalog.ts';
import { type AuditDescriptor, type ItemChange, type StoredItem, stampFields, storageFields } from './descriptor.ts';

/** A DynamoDB stream record, as the domain needs it (no Lambda types here). */
export interface StreamChange {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Record<string, AttributeValue>;
  newImage?: Record<string, AttributeValue> | undefined;
  oldImage?: Record<string, AttributeValue> | undefined;
  /** Seconds since the epoch, as the stream stamps records. */
  approximateCreationTime?: number | undefined;
  /** Set on deletions made by the TTL sweeper: `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }`. */
  userIdentity?: { type?: string | undefined; principalId?: string | undefined } | undefined;
}

/** A record the consumer cannot turn into an entry: it fails alone and lands on the failure destination. */
export class UnauditableChangeError extends Error {
  override readonly name = 'UnauditableChangeError';
}

export type Interpreted =
  | { kind: 'skip'; reason: string }
  | {
      kind: 'entry';
      entity: string;
      descriptor: AuditDescriptor;
      change: ItemChange;
      /** The item as it was (removals) or is now. */
      item: StoredItem;
      changes: Record<string, { before: unknown; after: unknown }>;
    };

const image = (value: Record<string, AttributeValue> | undefined): StoredItem | null => (value ? (unmarshall(value) as StoredItem) : null);

const removedByTtl = (change: StreamChange): boolean =>
  change.eventName === 'REMOVE' && change.userIdentity?.type === 'Service' && change.userIdentity.principalId === 'dynamodb.amazonaws.com';

/** The audited fields that differ, with their values before and after (null where absent); secrets never included. */
export const diffItems = (
  before: StoredItem | null,
  after: StoredItem | null,
  descriptor: AuditDescriptor,
): Record<string, { before: unknown; after: unknown }> => {
  const skipped = new Set<string>([
    ...storageFields,
    ...stampFields,
    ...(descriptor.ignoredFields ?? []),
    ...(descriptor.secretFields ?? []),
  ]);
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((field) => !skipped.has(field)).sort();
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of fields) {
    const was = before?.[field] ?? null;
    const is = after?.[field] ?? null;
    if (stableJson(was) !== stableJson(is)) changes[field] = { before: was, after: is };
  }
  return changes;
};

/**
 * Decides what a stream record means for the audit log, without any I/O:
 * internal entities and bookkeeping-only changes are skipped; an item of no
 * known entity is refused (a write from outside the API, or a forgotten
 * catalog entry: either way a bug an operator must see).
 */
export const interpretChange = (change: StreamChange): Interpreted => {
  const before = image(change.oldImage);
  const after = image(change.newImage);
  const item = after ?? before;
  if (!item) throw new UnauditableChangeError(`Record ${change.eventID} carries no image`);
  const entity = item.__edb_e__;
  if (typeof entity !== 'string') throw new UnauditableChangeError(`Record ${change.eventID} is not an item the API wrote`);
  const entry = auditCatalog[entity];
  if (!entry) throw new UnauditableChangeError(`Record ${change.eventID} is a ${entity}, which the audit catalog does not know`);
  if ('internal' in entry) return { kind: 'skip', reason: `${entity}: ${entry.internal}` };
  const descriptor = entry.audited;
  const changes = diffItems(change.eventName === 'INSERT' ? null : before, change.eventName === 'REMOVE' ? null : after, descriptor);
  if (change.eventName === 'MODIFY' && Object.keys(changes).length === 0) return { kind: 'skip', reason: `${entity}: bookkeeping only` };
  const itemChange: ItemChange = {
    eventName: change.eventName,
    before: change.eventName === 'INSERT' ? null : before,
    after: change.eventName === 'REMOVE' ? null : after,
    changed: Object.keys(changes),
    expired: removedByTtl(change),
  };
  return { kind: 'entry', entity, descriptor, change: itemChange, item, changes };
};

/** The chain a record will be appended to (its org), or its partition when it is not audited: records of one lane run in order. */
export const laneOf = (change: StreamChange): string => {
  const interpreted = interpretChange(change);
  return interpreted.kind === 'entry'
    ? `org:${interpreted.descriptor.orgIdOf(interpreted.item)}`
    : `pk:${change.keys.pk?.S ?? change.eventID}`;
};
