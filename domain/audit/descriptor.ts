import type { AuditAction } from './actions.ts';

/** An item as the stream delivers it, unmarshalled: plain attributes, keys included. */
export type StoredItem = Record<string, unknown>;

/** One change as the audit consumer sees it, after the bookkeeping fields are set aside. */
export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  before: StoredItem | null;
  after: StoredItem | null;
  /** Audited fields whose value differs between before and after. */
  changed: readonly string[];
  /** Removed by the table's TTL sweeper rather than by a request. */
  expired: boolean;
}

/**
 * How the changes of one entity become audit entries: which org they belong
 * to (the org whose chain records them), what the target is, which fields are
 * side effects that never make an entry on their own, which are secrets that
 * never leave the item, and the action's name.
 */
export interface AuditDescriptor {
  targetType: string;
  orgIdOf: (item: StoredItem) => string;
  targetIdOf: (item: StoredItem) => string;
  /** Bookkeeping: kept out of `changes`, and a change of these alone records nothing (a parent's child count, say). */
  ignoredFields?: readonly string[];
  /** Secrets and hashes: never copied into an entry. */
  secretFields?: readonly string[];
  /** Null: housekeeping that records nothing (a long-ended session's record expiring, say). */
  actionOf: (change: ItemChange) => AuditAction | null;
}

/** Every entity of the table is either audited or named internal, with the reason; the consumer refuses any other. */
export type CatalogEntry = { audited: AuditDescriptor } | { internal: string };

/** Fields on every item that say nothing about the change itself. */
export const storageFields = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', '__edb_e__', '__edb_v__'] as const;
export const stampFields = ['writtenBy', 'updatedAt', 'version'] as const;

export const text = (item: StoredItem, field: string): string => {
  const value = item[field];
  if (typeof value !== 'string' || value === '') throw new Error(`The item has no ${field}`);
  return value;
};
