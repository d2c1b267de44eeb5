import { resolveMoves } from './move-resolution.ts';
import { OrgEntity, type OrgItem } from './org.entity.ts';

/** One GetItem (plus one while a multi-step move carries the org). */
export const readOrg = async (orgId: string): Promise<OrgItem | null> => {
  const { data } = await OrgEntity.get({ orgId }).go();
  if (!data) return null;
  return data.moveId ? ((await resolveMoves([data]))[0] ?? null) : data;
};

/** Several orgs: one BatchGetItem (ElectroDB splits beyond 100 keys). */
export const readOrgs = async (orgIds: readonly string[]): Promise<Map<string, OrgItem>> => {
  if (orgIds.length === 0) return new Map();
  const { data } = await OrgEntity.get([...new Set(orgIds)].map((orgId) => ({ orgId }))).go();
  const items = await resolveMoves(data);
  return new Map(items.map((item) => [item.orgId, item]));
};
