import { tombstoneFor } from '../db/deletion.ts';
import type { db } from '../db/service.ts';
import type { WrittenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { ConfigEntity, type ConfigItem } from './config.entity.ts';
import { inheritedConfigItem, readConfig } from './config-item.ts';
import { ProfileEntity, type ProfileItem } from './profile.entity.ts';

type TransactionEntities = Parameters<Parameters<typeof db.transaction.write>[0]>[0];

/**
 * What an org's creation and deletion must do about its profile and
 * configuration, kept here so orgs.ts only calls in: a customer starts with
 * a copy of its partner's configuration, and an org's details go with it.
 */

/** The configuration a new org of this kind copies from its parent: customers only (sub-partners are MSPs of their own). */
export const inheritanceFor = (kind: OrgItem['kind'], parentId: string): Promise<ConfigItem | null> =>
  kind === 'customer' ? readConfig(parentId) : Promise.resolve(null);

/** The creating transaction's write of the copy (none when the partner has no configuration). */
export const inheritedConfigWrites = (entities: TransactionEntities, source: ConfigItem | null, orgId: string, by: WrittenBy) =>
  source ? [entities.orgConfig.create(inheritedConfigItem(source, orgId, by)).commit()] : [];

export interface OrgDetails {
  profile: ProfileItem | null;
  config: ConfigItem | null;
}

/** Both items, read in parallel (beside the deletion's other reads). */
export const readOrgDetails = async (orgId: string): Promise<OrgDetails> => {
  const [profile, config] = await Promise.all([ProfileEntity.get({ orgId }).go(), ConfigEntity.get({ orgId }).go()]);
  return { profile: profile.data, config: config.data };
};

/** Transaction slots `deleteOrgDetailsWrites` may take: each item and its tombstone. */
export const maxDetailWrites = 4;

/**
 * Deletes of an org's details, each conditioned on the version read and with
 * the tombstone that names who deleted it; an absent one is checked to be
 * still absent, so a detail written while the org was being deleted cannot
 * outlive it.
 */
export const deleteOrgDetailsWrites = (entities: TransactionEntities, details: OrgDetails, org: OrgItem, by: WrittenBy) => {
  const { orgProfile, orgConfig, tombstone } = entities;
  const orgId = org.orgId;
  return [
    ...(details.profile
      ? [
          orgProfile
            .delete({ orgId })
            .where((attr, { eq }) => eq(attr.version, details.profile?.version ?? 0))
            .commit(),
          tombstone.put(tombstoneFor(ProfileEntity.delete({ orgId }), details.profile, 'orgProfile', org, by)).commit(),
        ]
      : [
          orgProfile
            .check({ orgId })
            .where((attr, { notExists }) => notExists(attr.orgId))
            .commit(),
        ]),
    ...(details.config
      ? [
          orgConfig
            .delete({ orgId })
            .where((attr, { eq }) => eq(attr.version, details.config?.version ?? 0))
            .commit(),
          tombstone.put(tombstoneFor(ConfigEntity.delete({ orgId }), details.config, 'orgConfig', org, by)).commit(),
        ]
      : [
          orgConfig
            .check({ orgId })
            .where((attr, { notExists }) => notExists(attr.orgId))
            .commit(),
        ]),
  ];
};
