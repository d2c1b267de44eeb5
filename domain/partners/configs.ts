import { type AccessRequest, authorizeOn, orgNotFound } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { db, orgStillExists } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { ConflictError, changedMeanwhile, type FieldError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { ConfigItem } from './config.entity.ts';
import { configItemOf, readConfig, type Smarthost } from './config-item.ts';
import { maxNetworksPerList, parseNetworkList } from './network-address.ts';
import { parseSmarthostHost } from './smarthost.ts';

export type { Smarthost };

/** What a PUT replaces the configuration with: a list left out is emptied, a smarthost left out removed. */
export interface ConfigInput {
  inboundIps?: string[] | undefined;
  outboundIps?: string[] | undefined;
  smarthost?: { host: string; port?: number | null | undefined } | null | undefined;
}

export interface ConfigView {
  orgId: string;
  kind: 'partner' | 'customer';
  inboundIps: string[];
  outboundIps: string[];
  smarthost: Smarthost | null;
  /**
   * A customer whose values are still the copy of its partner's configuration
   * made when it was created: whose, and which version. Null once the
   * customer's own configuration was changed (or for a partner).
   */
  inheritedFrom: { orgId: string; version: number } | null;
  /** 0 while nothing has been stored. */
  version: number;
  updatedAt: string | null;
}

type ConfigKind = ConfigView['kind'];
const hasConfig = (kind: OrgItem['kind']): kind is ConfigKind => kind === 'partner' || kind === 'customer';

const noConfig = (kind: string) => `A ${kind} has no configuration: partners and their customers keep one`;

export const toConfigView = (org: { orgId: string; kind: ConfigKind }, item: ConfigItem | null): ConfigView => ({
  orgId: org.orgId,
  kind: org.kind,
  inboundIps: item?.inboundIps ?? [],
  outboundIps: item?.outboundIps ?? [],
  smarthost: item?.smarthostHost ? { host: item.smarthostHost, port: item.smarthostPort ?? null } : null,
  inheritedFrom:
    item?.inheritedFromOrgId && item.inheritedFromVersion !== undefined
      ? { orgId: item.inheritedFromOrgId, version: item.inheritedFromVersion }
      : null,
  version: item?.version ?? 0,
  updatedAt: item?.updatedAt ?? null,
});

/**
 * A partner's or customer's configuration: one round trip. Channels and the
 * platform keep none: 404 with the rule `no-config`.
 */
export const getConfig = async (access: AccessRequest, orgId: string): Promise<ConfigView> => {
  const [{ org }, item] = await Promise.all([authorizeOn(access, orgId), readConfig(orgId)]);
  if (!hasConfig(org.kind)) throw new NotFoundError(noConfig(org.kind), { extensions: { rule: 'no-config' } });
  return toConfigView({ orgId, kind: org.kind }, item);
};

/**
 * The values as they will be stored: the schema has normalised them already;
 * checking again here keeps callers other than the API (seeds, tests) honest.
 */
const canonicalInput = (input: ConfigInput) => {
  const errors: FieldError[] = [];
  const list = (field: 'inboundIps' | 'outboundIps') => {
    const given = input[field] ?? [];
    if (given.length > maxNetworksPerList) errors.push({ path: `body.${field}`, message: `at most ${maxNetworksPerList} entries` });
    const parsed = parseNetworkList(given);
    for (const error of parsed.errors) errors.push({ path: `body.${field}.${error.index}`, message: error.reason });
    return parsed.values;
  };
  const inboundIps = list('inboundIps');
  const outboundIps = list('outboundIps');
  let smarthost: Smarthost | null = null;
  if (input.smarthost) {
    const host = parseSmarthostHost(input.smarthost.host);
    const port = input.smarthost.port ?? null;
    if (!host.ok) errors.push({ path: 'body.smarthost.host', message: host.reason });
    if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535))
      errors.push({ path: 'body.smarthost.port', message: 'must be 1–65535' });
    if (host.ok) smarthost = { host: host.value, port };
  }
  if (errors.length > 0) throw new ValidationError('The configuration has invalid entries', { errors });
  return { inboundIps, outboundIps, smarthost };
};

/**
 * Replaces a partner's or customer's configuration (MSP administrators:
 * `config:write`, held by partner admins and the channel and platform admins
 * above them). Lists are normalised and de-duplicated; `If-Match` is honoured,
 * not required. A customer's own change ends its inheritance: `inheritedFrom`
 * goes, and later changes to the partner never touch it. The org is checked in
 * the same transaction, so a configuration never outlives its org.
 */
export const putConfig = async (
  access: AccessRequest,
  orgId: string,
  input: ConfigInput,
  ifMatch: number | null,
  actor: Actor,
): Promise<ConfigView> => {
  const [{ org }, current] = await Promise.all([authorizeOn(access, orgId), readConfig(orgId)]);
  if (!hasConfig(org.kind)) throw new ConflictError(noConfig(org.kind), { extensions: { rule: 'no-config' } });
  const kind = org.kind;
  const expected = assertVersion(current?.version ?? 0, ifMatch);
  const values = canonicalInput(input);
  const by = writtenBy(actor, new Date().toISOString());
  const item = configItemOf(orgId, values, { createdAt: current?.createdAt ?? by.at, version: expected + 1, by });
  await transact(
    () =>
      db.transaction
        .write(({ orgConfig, org: orgs }) => [
          current
            ? orgConfig
                .put(item)
                .where((attr, { eq }) => eq(attr.version, expected))
                .commit()
            : orgConfig.create(item).commit(),
          orgStillExists(orgs, orgId),
        ])
        .go(),
    (index) => (index === 1 ? orgNotFound(orgId) : changedMeanwhile('configuration', ifMatch)),
  );
  return toConfigView({ orgId, kind }, item);
};
