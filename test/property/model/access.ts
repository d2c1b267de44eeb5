import type { Model, ModelGrant, Principal } from './model.ts';

/**
 * The model's idea of who reaches an org and what an asker may be told of it,
 * written out naively from the model's maps: the access listing, the
 * disclosure rule, and who a partner-access switch would lock out.
 */

/** One grant reaching an org, and who holds it. */
export interface ModelHolder {
  /** A user id, or a key id for an API key. */
  userId: string;
  email: string | null;
  principalType: 'user' | 'api-key' | 'impersonation';
  grant: ModelGrant;
}

/**
 * The orgs of `orgId`'s path the asker can see: from its highest grant that
 * reaches the org down (a grant reaching one org only, an external admin's,
 * shows that org alone). Grants held above are never named to it.
 */
export const sightOf = (model: Model, asker: Principal | null, orgId: string): string[] => {
  const lineage = model.lineage(orgId);
  const indexes = model
    .reaching(model.grantsOf(asker), orgId)
    .map((grant) => (grant.kind === 'membership' || grant.kind === 'api-key' ? lineage.indexOf(grant.orgId) : lineage.length - 1));
  return indexes.length === 0 ? [] : lineage.slice(Math.min(...indexes));
};

/** Every grant that reaches the org, in the listing's order: down the path each org's members by user id, then the external admins. */
export const holdersOf = (model: Model, orgId: string): ModelHolder[] => {
  const byUser = <T extends { userId: string }>(items: T[]) =>
    items.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  // Down the path: each org's members, then its working API keys.
  const members = model.lineage(orgId).flatMap((id): ModelHolder[] => [
    ...byUser(model.membersOf(id)).map((m) => ({
      userId: m.userId,
      email: m.email,
      principalType: 'user' as const,
      grant: { kind: 'membership', orgId: id, role: m.role, builtIn: m.builtIn } as ModelGrant,
    })),
    ...model
      .keysOf(id)
      .filter((key) => model.keyWorks(key.keyId))
      .sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0))
      .map((key) => ({
        userId: key.keyId,
        email: null,
        principalType: 'api-key' as const,
        grant: { kind: 'api-key', orgId: id, role: key.role, keyId: key.keyId } as ModelGrant,
      })),
  ]);
  const external = model.externalAdminsOf(orgId).map((x) => ({
    userId: x.userId,
    email: x.email,
    principalType: 'user' as const,
    grant: { kind: 'external-admin', orgId, role: x.role, expiresAt: x.expiresAt } as ModelGrant,
  }));
  // Then, held at the customer, the sessions running in it whose impersonator may still impersonate there.
  const sessions = model
    .runningSessionsOf(orgId)
    .filter((session) => model.impersonatorHolds(session))
    .map((session) => ({
      userId: session.id,
      email: session.impersonatorEmail,
      principalType: 'impersonation' as const,
      grant: model.grantsOf(model.sessionPrincipal(session.id))[0] as ModelGrant,
    }));
  // Then the assignments to it of each service it is an account of (by service, then user), while they hold.
  const assigned = [...model.services.values()]
    .filter((service) => model.accountActive(service, orgId))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .flatMap((service) =>
      model
        .assignmentsOf(service.id)
        .filter((a) => a.accountId === orgId && model.membershipLives(a))
        .sort((a, b) => (a.userId < b.userId ? -1 : 1))
        .map((a) => ({
          userId: a.userId,
          email: a.email,
          principalType: 'user' as const,
          grant: { kind: 'service', orgId, role: service.role, serviceId: service.id } as ModelGrant,
        })),
    );
  return [...members, ...external, ...assigned, ...sessions];
};

/** Whether the grant gets in, or is stopped by the org's partner-access restriction (only its own members get in then). */
export const effective = (model: Model, grant: ModelGrant, orgId: string): boolean =>
  model.org(orgId)?.partnerAccess !== false || model.isOwn(grant, orgId);

/** The grant as the API names it in an explanation. */
export const grantRef = (grant: ModelGrant): Record<string, unknown> =>
  grant.kind === 'membership'
    ? { kind: grant.kind, orgId: grant.orgId, role: grant.role }
    : grant.kind === 'api-key'
      ? { kind: grant.kind, orgId: grant.orgId, role: grant.role, keyId: grant.keyId }
      : grant.kind === 'impersonation'
        ? { kind: grant.kind, orgId: grant.orgId, role: grant.role, impersonationId: grant.sessionId, expiresAt: grant.endsAt }
        : grant.kind === 'service'
          ? { kind: grant.kind, orgId: grant.orgId, role: grant.role, serviceId: grant.serviceId }
          : { kind: grant.kind, orgId: grant.orgId, role: grant.role, expiresAt: new Date(grant.expiresAt * 1000).toISOString() };

/** `GET …/access` as the model expects it for this asker: the named items in order, and the count of those held above its sight. */
export const expectedAccess = (model: Model, asker: Principal | null, orgId: string) => {
  const sight = new Set(sightOf(model, asker, orgId));
  const holders = holdersOf(model, orgId);
  const items = holders
    .filter((holder) => sight.has(holder.grant.orgId))
    .map((holder) => {
      const { grant } = holder;
      const gets = effective(model, grant, orgId);
      return {
        principalType: holder.principalType,
        principalId: holder.userId,
        email: holder.email,
        role: grant.role,
        via:
          grant.kind === 'membership'
            ? { kind: grant.kind, orgId: grant.orgId, builtIn: grant.builtIn }
            : grant.kind === 'api-key'
              ? { kind: grant.kind, orgId: grant.orgId, keyId: grant.keyId }
              : grant.kind === 'impersonation'
                ? {
                    kind: grant.kind,
                    orgId: grant.orgId,
                    impersonationId: grant.sessionId,
                    impersonatorId: grant.impersonatorId,
                    expiresAt: grant.endsAt,
                  }
                : grant.kind === 'service'
                  ? { kind: grant.kind, orgId: grant.orgId, serviceId: grant.serviceId }
                  : { kind: grant.kind, orgId: grant.orgId, expiresAt: new Date(grant.expiresAt * 1000).toISOString() },
        effective: gets,
        ...(gets ? {} : { blockedBy: 'partner-access-off' }),
      };
    });
  const hidden = holders.length - items.length;
  const open = model.org(orgId)?.partnerAccess !== false;
  const heldAboveScope =
    hidden === 0
      ? null
      : open
        ? { grants: hidden, effective: true }
        : { grants: hidden, effective: false, blockedBy: 'partner-access-off' };
  return { items, heldAboveScope };
};

/**
 * Who switching the customer's partner access off would lock out: everyone
 * who gets in now, but only through grants from outside (anything but a
 * membership held at the customer). Named, in listing order, when one of
 * their grants is in the asker's sight; counted otherwise.
 */
export const partnerAccessLosses = (model: Model, asker: Principal | null, orgId: string) => {
  if (model.org(orgId)?.partnerAccess === false) return { named: [], aboveScope: 0 };
  const holders = holdersOf(model, orgId);
  // A session is its impersonator's access: one person, whichever of their grants gets them in.
  const personOf = (holder: ModelHolder) => (holder.grant.kind === 'impersonation' ? holder.grant.impersonatorId : holder.userId);
  const people = [...new Set(holders.map(personOf))];
  const losing = new Set(
    people.filter((person) => !holders.some((holder) => personOf(holder) === person && model.isOwn(holder.grant, orgId))),
  );
  const sight = new Set(sightOf(model, asker, orgId));
  const named: { userId: string; email: string | null; orgId: string; via: string }[] = [];
  for (const holder of holders) {
    const person = personOf(holder);
    if (!losing.has(person) || !sight.has(holder.grant.orgId) || named.some((loss) => loss.userId === person)) continue;
    named.push({ userId: person, email: holder.email, orgId, via: holder.grant.kind });
  }
  return { named, aboveScope: losing.size - named.length };
};
