import { beforeAll, describe, expect, it } from 'vitest';
import { addMember } from '#domain/access/members';
import { maxDepth } from '#domain/orgs/kinds';
import { listChildOrgs } from '#domain/orgs/org-lists';
import { createChildOrg, deleteOrg, getOrg, updateOrg } from '#domain/orgs/orgs';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '#domain/shared/errors';
import { actor, as, createOrg, member, smallHierarchy, unique } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

describe('creating orgs', () => {
  it('creates a customer under a partner with a trial subscription and the path of its parent', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    expect(customer).toMatchObject({
      kind: 'customer',
      parentId: world.partnerA.id,
      path: `${world.partnerA.path}/${customer.id}`,
      depth: world.partnerA.depth + 1,
      subscription: { state: 'trial' },
      partnerAccess: true,
      version: 1,
    });
  });

  it.each([
    ['channel', 'customer'],
    ['customer', 'customer'],
    ['partner', 'channel'],
  ] as const)('refuses a %s holding a %s', async (parentKind, childKind) => {
    const parent = parentKind === 'channel' ? world.channel : parentKind === 'customer' ? world.customerA : world.partnerA;
    await expect(createOrg(world.admin, parent.id, childKind)).rejects.toThrow(ConflictError);
  });

  it('keeps sibling names unique regardless of case and spacing, but allows the name elsewhere', async () => {
    const name = unique('Globex ');
    await createOrg(world.admin, world.partnerA.id, 'customer', name);
    await expect(createOrg(world.admin, world.partnerA.id, 'customer', `  ${name.toUpperCase()} `)).rejects.toMatchObject({
      statusCode: 409,
      extensions: { rule: 'unique-name' },
    });
    await expect(createOrg(world.admin, world.partnerB.id, 'customer', name)).resolves.toMatchObject({ name });
  });

  it(`bounds the depth at ${maxDepth}`, async () => {
    let parent = world.partnerA;
    while (parent.depth < maxDepth) parent = await createOrg(world.admin, parent.id, 'partner');
    await expect(createOrg(world.admin, parent.id, 'partner')).rejects.toMatchObject({ extensions: { rule: 'depth' } });
  });

  it('refuses customer-only fields on a partner', async () => {
    await expect(
      createChildOrg(as(world.admin, 'org:create'), world.channel.id, { kind: 'partner', name: unique('p'), customerType: 'nfr' }, actor),
    ).rejects.toThrow(ValidationError);
  });

  it('refuses children under a suspended org', async () => {
    const partner = await createOrg(world.admin, world.channel.id, 'partner');
    await updateOrg(as(world.admin, 'org:update'), partner.id, { status: 'suspended' }, null, actor);
    await expect(createOrg(world.admin, partner.id, 'customer')).rejects.toMatchObject({ extensions: { rule: 'parent-suspended' } });
  });
});

describe('updating orgs', () => {
  it('renames with If-Match, bumps the version, and answers 412 to a stale version', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const renamed = await updateOrg(as(world.admin, 'org:update'), customer.id, { name: unique('Renamed ') }, 1, actor);
    expect(renamed.version).toBe(2);
    await expect(updateOrg(as(world.admin, 'org:update'), customer.id, { name: 'x' }, 1, actor)).rejects.toThrow(PreconditionFailedError);
  });

  it('frees the old name on rename and reserves the new one', async () => {
    const first = await createOrg(world.admin, world.partnerB.id, 'customer');
    const second = await createOrg(world.admin, world.partnerB.id, 'customer');
    await expect(updateOrg(as(world.admin, 'org:update'), second.id, { name: first.name }, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'unique-name' },
    });
    const newName = unique('Fresh ');
    await updateOrg(as(world.admin, 'org:update'), first.id, { name: newName }, null, actor);
    await expect(createOrg(world.admin, world.partnerB.id, 'customer', first.name)).resolves.toBeTruthy();
  });

  it('moves a subscription along allowed transitions only, and only with billing:write', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');
    const partnerAdmin = await member(world.admin, world.partnerA.id, 'partner-admin');
    await expect(
      updateOrg(as(partnerAdmin, 'org:update'), customer.id, { subscriptionState: 'past_due' }, null, actor),
    ).rejects.toMatchObject({
      extensions: { rule: 'subscription-transition' },
    });
    const active = await updateOrg(as(partnerAdmin, 'org:update'), customer.id, { subscriptionState: 'active' }, null, actor);
    expect(active.subscription?.state).toBe('active');
    await expect(updateOrg(as(technician, 'org:update'), customer.id, { subscriptionState: 'cancelled' }, null, actor)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('never suspends the root', async () => {
    await expect(updateOrg(as(world.admin, 'org:update'), 'org_root', { status: 'suspended' }, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'root' },
    });
  });
});

describe('deleting orgs', () => {
  it('refuses an org with children, and deletes an empty one with its memberships', async () => {
    const partner = await createOrg(world.admin, world.channel.id, 'partner');
    const customer = await createOrg(world.admin, partner.id, 'customer');
    await expect(deleteOrg(as(world.admin, 'org:delete'), partner.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'has-children' },
    });
    const customerAdmin = await member(world.admin, customer.id, 'customer-admin');
    await deleteOrg(as(world.admin, 'org:delete'), customer.id, null, actor);
    await expect(getOrg(as(world.admin, 'org:read'), customer.id)).rejects.toThrow(NotFoundError);
    await expect(getOrg(as(customerAdmin, 'org:read'), customer.id)).rejects.toThrow(NotFoundError);
    await deleteOrg(as(world.admin, 'org:delete'), partner.id, null, actor);
    const left = await listChildOrgs(as(world.admin, 'org:read'), world.channel.id, { limit: 100 });
    expect(left.items.map((o) => o.id)).not.toContain(partner.id);
  });

  it('frees the name of a deleted org', async () => {
    const customer = await createOrg(world.admin, world.partnerB.id, 'customer');
    await deleteOrg(as(world.admin, 'org:delete'), customer.id, 1, actor);
    await expect(createOrg(world.admin, world.partnerB.id, 'customer', customer.name)).resolves.toBeTruthy();
  });
});

describe('members', () => {
  it('refuses a role that does not fit the org kind with a field error', async () => {
    await expect(
      addMember(as(world.admin, 'member:write'), world.customerA.id, { email: `${unique('x')}@t.example`, role: 'channel-admin' }, actor),
    ).rejects.toMatchObject({ statusCode: 400, errors: [{ path: 'body.role' }] });
  });

  it('refuses to hand out more than the assigner holds', async () => {
    const customerAdmin = await member(world.admin, world.customerA.id, 'customer-admin');
    await expect(
      addMember(as(customerAdmin, 'member:write'), world.customerA.id, { email: `${unique('x')}@t.example`, role: 'billing-admin' }, actor),
    ).rejects.toMatchObject({ statusCode: 403, extensions: { rule: 'no-escalation' } });
  });

  it('refuses a second membership of the same user at the same org', async () => {
    const email = `${unique('dup')}@t.example`;
    await addMember(as(world.admin, 'member:write'), world.customerB.id, { email, role: 'customer-user' }, actor);
    await expect(
      addMember(as(world.admin, 'member:write'), world.customerB.id, { email, role: 'customer-admin' }, actor),
    ).rejects.toMatchObject({
      extensions: { rule: 'already-member' },
    });
  });
});
