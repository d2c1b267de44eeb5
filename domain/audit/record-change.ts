import { createHash } from 'node:crypto';
import { TombstoneEntity } from '../db/tombstone.entity.ts';
import type { WrittenBy } from '../db/written-by.ts';
import { OrgEntity } from '../orgs/org.entity.ts';
import { type AppendOutcome, appendEntry } from './append.ts';
import type { EntryDraft } from './chain.ts';
import { type Interpreted, interpretChange, type StreamChange, UnauditableChangeError } from './change.ts';
import type { StoredItem } from './descriptor.ts';

/** Org paths looked up while handling one batch: records of one org share the read. */
export type PathCache = Map<string, Promise<string>>;

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const base32 = (bytes: Buffer, length: number): string => {
  let out = '';
  for (let i = 0; out.length < length; i++) out += alphabet[(bytes[i % bytes.length] ?? 0) % 32];
  return out;
};

/**
 * The entry's id comes from the stream record, so a redelivered record names
 * the same entry: its time (sortable, like every generated id) then a digest
 * of the record's event id.
 */
export const entryIdOf = (eventID: string, at: string): string => {
  let time = '';
  let rest = BigInt(Date.parse(at));
  for (let i = 0; i < 9; i++) {
    time = alphabet[Number(rest % 32n)] + time;
    rest /= 32n;
  }
  return `aud_${time}${base32(createHash('sha256').update(eventID).digest(), 11)}`;
};

const stampOf = (item: StoredItem | null): WrittenBy | null => {
  const stamp = item?.writtenBy as WrittenBy | undefined;
  return stamp && typeof stamp.requestId === 'string' && typeof stamp.at === 'string' ? stamp : null;
};

const versionOf = (item: StoredItem): number => (typeof item.version === 'number' ? item.version : 0);

/** The org path of an org that was deleted: its tombstone keeps it. */
const pathOfDeletedOrg = async (orgId: string): Promise<string | null> => {
  const orgKey = (OrgEntity.get({ orgId }).params() as { Key: { pk: string } }).Key.pk;
  const { data } = await TombstoneEntity.query.byDeletedItem({ deletedPk: orgKey }).go({ order: 'desc', limit: 1 });
  return data[0]?.orgPath ?? null;
};

const pathOf = (orgId: string, cache: PathCache): Promise<string> => {
  let path = cache.get(orgId);
  if (!path) {
    path = (async () => {
      const { data } = await OrgEntity.get({ orgId }).go({ consistent: true });
      const found = data?.path ?? (await pathOfDeletedOrg(orgId));
      if (!found) throw new UnauditableChangeError(`Org ${orgId} is neither in the table nor among the deleted`);
      return found;
    })();
    path.catch(() => cache.delete(orgId));
    cache.set(orgId, path);
  }
  return path;
};

/** Who made a change and when: the item's stamp, the deletion's tombstone, or the TTL sweeper. */
const actorOf = async (change: StreamChange, interpreted: Extract<Interpreted, { kind: 'entry' }>) => {
  if (interpreted.change.expired) {
    const at = new Date((change.approximateCreationTime ?? Date.now() / 1000) * 1000).toISOString();
    return { stamp: { requestId: `ttl:${change.eventID}`, at } as WrittenBy, actor: 'system:ttl', orgPath: null };
  }
  if (change.eventName !== 'REMOVE') {
    const stamp = stampOf(interpreted.change.after);
    if (!stamp) throw new UnauditableChangeError(`Record ${change.eventID}: a ${interpreted.entity} written without an actor`);
    return { stamp, actor: null, orgPath: null };
  }
  const pk = change.keys.pk?.S;
  const sk = change.keys.sk?.S;
  if (!pk || !sk) throw new UnauditableChangeError(`Record ${change.eventID} has no table keys`);
  const { data } = await TombstoneEntity.get({ deletedPk: pk, deletedSk: sk, deletedVersion: versionOf(interpreted.item) }).go({
    consistent: true,
  });
  if (!data) throw new UnauditableChangeError(`Record ${change.eventID}: a ${interpreted.entity} deleted without a tombstone`);
  return { stamp: data.writtenBy as WrittenBy, actor: null, orgPath: data.orgPath };
};

/**
 * Turns one stream record into an audit entry in its org's chain and the
 * audit partitions above it. Returns what happened; throws for a record that
 * cannot be recorded faithfully (no actor, unknown entity, unknown org), which
 * the batch reports as its failure.
 */
export const recordChange = async (change: StreamChange, cache: PathCache = new Map()): Promise<AppendOutcome | 'skipped'> => {
  const interpreted = interpretChange(change);
  if (interpreted.kind === 'skip') return 'skipped';
  const { descriptor, item } = interpreted;
  const action = descriptor.actionOf(interpreted.change);
  if (action === null) return 'skipped';
  const orgId = descriptor.orgIdOf(item);
  const who = await actorOf(change, interpreted);
  const orgPath = interpreted.entity === 'org' && typeof item.path === 'string' ? item.path : (who.orgPath ?? (await pathOf(orgId, cache)));
  const { stamp } = who;
  const draft: EntryDraft = {
    entryId: entryIdOf(change.eventID, stamp.at),
    at: stamp.at,
    actor: who.actor ?? stamp.userId ?? stamp.impersonationId ?? stamp.apiKeyId ?? (stamp.anonymous ? 'anonymous' : 'system'),
    impersonator: stamp.impersonatorId ?? null,
    impersonationId: stamp.impersonationId ?? null,
    actingRole: stamp.actingRole ?? null,
    apiKeyId: stamp.apiKeyId ?? null,
    requestId: stamp.requestId,
    sourceIp: stamp.sourceIp ?? null,
    orgId,
    orgPath,
    action,
    targetType: descriptor.targetType,
    targetId: descriptor.targetIdOf(item),
    changes: interpreted.changes,
  };
  return appendEntry(draft);
};
