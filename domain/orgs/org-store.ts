import { OrgEntity, type OrgItem } from './org.entity.ts';

/** One GetItem. */
export const readOrg = async (orgId: string): Promise<OrgItem | null> => (await OrgEntity.get({ orgId }).go()).data;

/** Names for a breadcrumb or a membership list: one BatchGetItem (ElectroDB splits beyond 100 keys). */
export const readOrgs = async (orgIds: readonly string[]): Promise<Map<string, OrgItem>> => {
  if (orgIds.length === 0) return new Map();
  const unique = [...new Set(orgIds)];
  const { data } = await OrgEntity.get(unique.map((orgId) => ({ orgId }))).go();
  return new Map(data.map((item) => [item.orgId, item]));
};
