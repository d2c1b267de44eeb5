import type { Model, ModelApplication, ModelConfig, Principal } from './model.ts';

/**
 * What the model knows of partner details, configuration and programme
 * applications, and how the API shows them. The values stored are what the
 * route table's schemas made of the request (normalised addresses, trimmed
 * names): the schemas' own rules are pinned by unit tests, the model only
 * checks that what was accepted is what is kept and shown to whom.
 */

/** The partner statuses every partner may carry; a channel adds its own. */
export const builtInStatuses = ['technical', 'sales'];

const contactOf = (value: unknown) => {
  if (!value || typeof value !== 'object') return null;
  const contact = value as { name: string; email: string; phone?: string | null };
  return { name: contact.name, email: contact.email, phone: contact.phone ?? null };
};

/** The profile as GET shows it (minus `updatedAt`); an org without one shows the empty profile at version 0. */
export const profileView = (model: Model, orgId: string): Record<string, unknown> => {
  const org = model.org(orgId);
  if (!org || (org.kind !== 'channel' && org.kind !== 'partner')) throw new Error(`${orgId} keeps no profile`);
  const profile = model.profiles.get(orgId);
  const fields = profile?.fields ?? {};
  const address = fields.address as
    | { lines?: string[]; city?: string | null; postalCode?: string | null; region?: string | null; country: string }
    | null
    | undefined;
  const programme = fields.programme as { partnerStatuses?: string[]; acceptsApplications?: boolean } | undefined;
  return {
    orgId,
    kind: org.kind,
    companyContact: contactOf(fields.companyContact),
    billingContact: contactOf(fields.billingContact),
    website: (fields.website as string | null | undefined) ?? null,
    address: address
      ? {
          lines: address.lines ?? [],
          city: address.city ?? null,
          postalCode: address.postalCode ?? null,
          region: address.region ?? null,
          country: address.country,
        }
      : null,
    ...(org.kind === 'partner' ? { statuses: (fields.statuses as string[] | undefined) ?? [] } : {}),
    ...(org.kind === 'channel'
      ? {
          programme: {
            partnerStatuses: programme?.partnerStatuses ?? [],
            acceptsApplications: programme?.acceptsApplications ?? false,
          },
        }
      : {}),
    version: profile?.version ?? 0,
  };
};

/** The statuses a partner may hold: built in, or defined by its channel's programme. */
export const allowedStatuses = (model: Model, partnerId: string): string[] => {
  const channelId = model.lineage(partnerId)[1];
  const programme = channelId ? (model.profiles.get(channelId)?.fields.programme as { partnerStatuses?: string[] } | undefined) : undefined;
  return [...builtInStatuses, ...(programme?.partnerStatuses ?? [])];
};

export const configView = (model: Model, orgId: string): Record<string, unknown> => {
  const org = model.org(orgId);
  if (!org || (org.kind !== 'partner' && org.kind !== 'customer')) throw new Error(`${orgId} keeps no configuration`);
  const config = model.configs.get(orgId);
  return {
    orgId,
    kind: org.kind,
    inboundIps: config?.inboundIps ?? [],
    outboundIps: config?.outboundIps ?? [],
    smarthost: config?.smarthost ?? null,
    inheritedFrom: config?.inheritedFrom ?? null,
    version: config?.version ?? 0,
  };
};

/** A new customer starts with a copy of its partner's configuration, if the partner has one. */
export const inheritConfig = (model: Model, parentId: string, childId: string): void => {
  const source = model.configs.get(parentId);
  if (!source || model.org(childId)?.kind !== 'customer') return;
  const copy: ModelConfig = {
    inboundIps: [...source.inboundIps],
    outboundIps: [...source.outboundIps],
    smarthost: source.smarthost ? { ...source.smarthost } : null,
    inheritedFrom: { orgId: parentId, version: source.version },
    version: 1,
  };
  model.configs.set(childId, copy);
};

/** An org's profile and configuration go with it. */
export const forgetDetails = (model: Model, orgId: string): void => {
  model.profiles.delete(orgId);
  model.configs.delete(orgId);
};

/** Whether the public form takes applications to this id: an active channel whose programme is open. */
export const acceptsApplications = (model: Model, channelId: string): boolean => {
  const org = model.org(channelId);
  const programme = model.profiles.get(channelId)?.fields.programme as { acceptsApplications?: boolean } | undefined;
  return org?.kind === 'channel' && org.status === 'active' && programme?.acceptsApplications === true;
};

/** An application as its channel's admins see it: the partner it made only while they can see that partner. */
export const applicationView = (model: Model, app: ModelApplication, principal: Principal | null): Record<string, unknown> => {
  const partnerVisible = app.partnerId !== null && ['allowed', 'summary'].includes(model.access(principal, app.partnerId, 'org:read'));
  return {
    id: app.id,
    channelId: app.channelId,
    company: app.company,
    contactName: app.contactName,
    contactEmail: app.contactEmail,
    country: app.country,
    website: app.website,
    status: app.status,
    reason: app.reason,
    decidedBy: app.decidedBy,
    partnerId: partnerVisible ? app.partnerId : null,
    partnerAdminId: app.partnerAdminId,
    version: app.version,
  };
};

/** Newest first, as the product's index orders them: by submission time, then id. */
export const newestFirst = (a: ModelApplication, b: ModelApplication): number =>
  a.submittedAt === b.submittedAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.submittedAt < b.submittedAt ? 1 : -1;
