import type { WrittenBy } from '../db/written-by.ts';
import { ConfigEntity, type ConfigItem } from './config.entity.ts';

export interface Smarthost {
  host: string;
  /** Null: the relay's standard port. */
  port: number | null;
}

/** One GetItem: the configuration of an org, if it has one. */
export const readConfig = async (orgId: string): Promise<ConfigItem | null> => (await ConfigEntity.get({ orgId }).go()).data;

export const configItemOf = (
  orgId: string,
  values: { inboundIps: string[]; outboundIps: string[]; smarthost: Smarthost | null },
  stamp: { createdAt: string; version: number; by: WrittenBy; inheritedFrom?: { orgId: string; version: number } },
): ConfigItem => ({
  orgId,
  inboundIps: values.inboundIps,
  outboundIps: values.outboundIps,
  ...(values.smarthost ? { smarthostHost: values.smarthost.host } : {}),
  ...(values.smarthost?.port ? { smarthostPort: values.smarthost.port } : {}),
  ...(stamp.inheritedFrom ? { inheritedFromOrgId: stamp.inheritedFrom.orgId, inheritedFromVersion: stamp.inheritedFrom.version } : {}),
  createdAt: stamp.createdAt,
  updatedAt: stamp.by.at,
  version: stamp.version,
  writtenBy: stamp.by,
});

/**
 * A new customer's configuration: a copy of its partner's as it is now,
 * remembering whose and which version, written in the customer's creating
 * transaction (orgs.ts) so the customer never exists without its defaults.
 */
export const inheritedConfigItem = (source: ConfigItem, orgId: string, by: WrittenBy): ConfigItem =>
  configItemOf(
    orgId,
    {
      inboundIps: source.inboundIps,
      outboundIps: source.outboundIps,
      smarthost: source.smarthostHost ? { host: source.smarthostHost, port: source.smarthostPort ?? null } : null,
    },
    { createdAt: by.at, version: 1, by, inheritedFrom: { orgId: source.orgId, version: source.version } },
  );
