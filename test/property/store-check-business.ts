import { configView, profileView } from './model/business.ts';
import type { Model } from './model/model.ts';
import { mismatch, stableJson } from './spec.ts';
import { itemsOf, type RawItem } from './support/table.ts';

const diff = (what: string, actual: readonly string[], expected: readonly string[]): void => {
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  if (missing.length > 0 || extra.length > 0) {
    mismatch(
      `the table's ${what} disagree with the model:\n  missing ${missing.join('\n          ')}\n  extra   ${extra.join('\n          ')}`,
    );
  }
};

/**
 * Profiles, configurations and applications, item by item: none left behind
 * by a deleted org, a refused write or a double approval, and each holding
 * what the model says (store-check.ts calls this with the same scan).
 */
export const expectDetailsMatchModel = (items: readonly RawItem[], model: Model): void => {
  const profileLine = (orgId: string, view: Record<string, unknown>) => stableJson({ orgId, ...view });
  diff(
    'profiles',
    itemsOf(items, 'orgProfile').map((p) =>
      profileLine(String(p.orgId), {
        kind: p.kind,
        companyContact: p.companyContact ? { phone: null, ...(p.companyContact as object) } : null,
        statuses: p.kind === 'partner' ? (p.statuses ?? []) : undefined,
        acceptsApplications: p.kind === 'channel' ? (p.acceptsApplications ?? false) : undefined,
        version: p.version,
      }),
    ),
    [...model.profiles.keys()].map((orgId) => {
      const view = profileView(model, orgId);
      return profileLine(orgId, {
        kind: view.kind,
        companyContact: view.companyContact,
        statuses: view.statuses,
        acceptsApplications: (view.programme as { acceptsApplications?: boolean } | undefined)?.acceptsApplications,
        version: view.version,
      });
    }),
  );
  const configLine = (c: Record<string, unknown>) => stableJson(c);
  diff(
    'configurations',
    itemsOf(items, 'orgConfig').map((c) =>
      configLine({
        orgId: c.orgId,
        inboundIps: c.inboundIps,
        outboundIps: c.outboundIps,
        smarthost: c.smarthostHost ? { host: c.smarthostHost, port: c.smarthostPort ?? null } : null,
        inheritedFrom: c.inheritedFromOrgId ? { orgId: c.inheritedFromOrgId, version: c.inheritedFromVersion } : null,
        version: c.version,
      }),
    ),
    [...model.configs.keys()].map((orgId) => {
      const { kind, ...view } = configView(model, orgId);
      return configLine(view);
    }),
  );
  const applicationLine = (a: Record<string, unknown>) =>
    stableJson([a.appId, a.channelId, a.status, a.version, a.partnerId ?? null, a.partnerAdminId ?? null, a.reason ?? null]);
  diff(
    'applications',
    itemsOf(items, 'application').map(applicationLine),
    [...model.applications.values()].map((app) =>
      applicationLine({ ...app, appId: app.id, partnerId: app.partnerId, partnerAdminId: app.partnerAdminId, reason: app.reason }),
    ),
  );
};
