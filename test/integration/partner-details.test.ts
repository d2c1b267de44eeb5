import { beforeAll, describe, expect, it } from 'vitest';
import { countCalls } from '#domain/db/call-counter';
import { createChildOrg, deleteOrg } from '#domain/orgs/orgs';
import { ConfigEntity } from '#domain/partners/config.entity';
import { getConfig, putConfig } from '#domain/partners/configs';
import { ProfileEntity } from '#domain/partners/profile.entity';
import { getProfile, putProfile } from '#domain/partners/profiles';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '#domain/shared/errors';
import { actor, as, member, smallHierarchy, unique } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

const contosoProfile = {
  companyContact: { name: 'Dana Admin', email: 'dana@contoso.example', phone: '+4930123456' },
  billingContact: { name: 'Bill Ing', email: 'billing@contoso.example' },
  website: 'https://contoso.example',
  address: { lines: ['Main Street 1'], city: 'Berlin', postalCode: '10115', country: 'DE' },
  statuses: ['technical'],
};

describe('partner profile', () => {
  it('reads as empty at version 0 until written, then as written, in one round trip', async () => {
    const partner = await createChildOrg(as(world.admin, 'org:create'), world.channel.id, { kind: 'partner', name: unique('P') }, actor);
    const empty = await getProfile(as(world.admin, 'profile:read'), partner.id);
    expect(empty).toMatchObject({ orgId: partner.id, kind: 'partner', companyContact: null, statuses: [], version: 0 });

    const admin = await member(world.admin, partner.id, 'partner-admin');
    const written = await putProfile(as(admin, 'profile:write'), partner.id, contosoProfile, 0, actor);
    const { result, calls } = await countCalls(() => getProfile(as(admin, 'profile:read'), partner.id));

    expect(written.version).toBe(1);
    expect(result).toEqual({
      orgId: partner.id,
      kind: 'partner',
      companyContact: { name: 'Dana Admin', email: 'dana@contoso.example', phone: '+4930123456' },
      billingContact: { name: 'Bill Ing', email: 'billing@contoso.example', phone: null },
      website: 'https://contoso.example',
      address: { lines: ['Main Street 1'], city: 'Berlin', postalCode: '10115', region: null, country: 'DE' },
      statuses: ['technical'],
      version: 1,
      updatedAt: expect.any(String),
    });
    expect(calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 1 });
  });

  it('is replaced whole by a PUT, honours If-Match, and lets technicians read but not write', async () => {
    const partner = await createChildOrg(as(world.admin, 'org:create'), world.channel.id, { kind: 'partner', name: unique('P') }, actor);
    const admin = await member(world.admin, partner.id, 'partner-admin');
    const technician = await member(world.admin, partner.id, 'partner-technician');
    await putProfile(as(admin, 'profile:write'), partner.id, contosoProfile, null, actor);

    const replaced = await putProfile(as(admin, 'profile:write'), partner.id, { website: 'https://new.example' }, 1, actor);

    expect(replaced).toMatchObject({ companyContact: null, billingContact: null, address: null, statuses: [], version: 2 });
    await expect(putProfile(as(admin, 'profile:write'), partner.id, {}, 1, actor)).rejects.toThrow(PreconditionFailedError);
    expect((await getProfile(as(technician, 'profile:read'), partner.id)).website).toBe('https://new.example');
    await expect(putProfile(as(technician, 'profile:write'), partner.id, {}, null, actor)).rejects.toThrow(ForbiddenError);
  });

  it('takes the statuses its channel defines, and names by index the ones it does not', async () => {
    const channel = await createChildOrg(as(world.admin, 'org:create'), 'org_root', { kind: 'channel', name: unique('C') }, actor);
    const partner = await createChildOrg(as(world.admin, 'org:create'), channel.id, { kind: 'partner', name: unique('P') }, actor);
    await putProfile(
      as(world.admin, 'profile:write'),
      channel.id,
      { programme: { partnerStatuses: ['gold'], acceptsApplications: false } },
      null,
      actor,
    );

    const ok = await putProfile(as(world.admin, 'profile:write'), partner.id, { statuses: ['sales', 'gold'] }, null, actor);
    const refused = await putProfile(as(world.admin, 'profile:write'), partner.id, { statuses: ['gold', 'platinum'] }, null, actor).catch(
      (error: unknown) => error,
    );

    expect(ok.statuses).toEqual(['sales', 'gold']);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toEqual([{ path: 'body.statuses.1', message: expect.stringContaining('gold') }]);
  });

  it('is kept for channels and partners only', async () => {
    await expect(getProfile(as(world.admin, 'profile:read'), world.customerA.id)).rejects.toThrow(NotFoundError);
    await expect(putProfile(as(world.admin, 'profile:write'), world.customerA.id, {}, null, actor)).rejects.toThrow(ConflictError);
    await expect(
      putProfile(
        as(world.admin, 'profile:write'),
        world.partnerA.id,
        { programme: { partnerStatuses: [], acceptsApplications: true } },
        null,
        actor,
      ),
    ).rejects.toThrow(ValidationError);
  });

  it('answers outsiders 404, as for a missing org', async () => {
    const outsider = await member(world.admin, world.partnerB.id, 'partner-admin');
    await expect(getProfile(as(outsider, 'profile:read'), world.partnerA.id)).rejects.toThrow(`Org ${world.partnerA.id} was not found`);
    await expect(putProfile(as(outsider, 'profile:write'), world.partnerA.id, {}, null, actor)).rejects.toThrow(NotFoundError);
  });
});

const partnerConfig = {
  inboundIps: ['8.8.8.0/24', '2001:4860:4860:0:0:0:0:8888', '8.8.8.0/24'],
  outboundIps: ['1.1.1.1/32'],
  smarthost: { host: 'SMTP.Contoso.Example.', port: 587 },
};

describe('configuration', () => {
  it('is stored canonical and de-duplicated; partner admins write it, technicians only read it', async () => {
    const partner = await createChildOrg(as(world.admin, 'org:create'), world.channel.id, { kind: 'partner', name: unique('P') }, actor);
    const admin = await member(world.admin, partner.id, 'partner-admin');
    const technician = await member(world.admin, partner.id, 'partner-technician');

    const written = await putConfig(as(admin, 'config:write'), partner.id, partnerConfig, null, actor);

    expect(written).toMatchObject({
      inboundIps: ['8.8.8.0/24', '2001:4860:4860::8888'],
      outboundIps: ['1.1.1.1'],
      smarthost: { host: 'smtp.contoso.example', port: 587 },
      inheritedFrom: null,
      version: 1,
    });
    expect(await getConfig(as(technician, 'config:read'), partner.id)).toEqual(written);
    await expect(putConfig(as(technician, 'config:write'), partner.id, {}, null, actor)).rejects.toThrow(ForbiddenError);
  });

  it('refuses private and reserved ranges with the index of each', async () => {
    const error = await putConfig(
      as(world.admin, 'config:write'),
      world.partnerA.id,
      { outboundIps: ['8.8.8.8', '10.0.0.1', '2001:db8::1'] },
      null,
      actor,
    ).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors?.map((e) => e.path)).toEqual(['body.outboundIps.1', 'body.outboundIps.2']);
  });

  it('gives a new customer its partner’s configuration in the creating transaction, and keeps it its own afterwards', async () => {
    const partner = await createChildOrg(as(world.admin, 'org:create'), world.channel.id, { kind: 'partner', name: unique('P') }, actor);
    const partnerAdmin = await member(world.admin, partner.id, 'partner-admin');
    const source = await putConfig(as(partnerAdmin, 'config:write'), partner.id, partnerConfig, null, actor);

    const { result: customer, calls } = await countCalls(() =>
      createChildOrg(as(partnerAdmin, 'org:create'), partner.id, { kind: 'customer', name: unique('Cu') }, actor),
    );
    const inherited = await getConfig(as(partnerAdmin, 'config:read'), customer.id);
    await putConfig(as(partnerAdmin, 'config:write'), partner.id, { outboundIps: ['9.9.9.9'] }, null, actor);
    const afterPartnerChange = await getConfig(as(partnerAdmin, 'config:read'), customer.id);
    const own = await putConfig(as(partnerAdmin, 'config:write'), customer.id, { inboundIps: ['1.0.0.1'] }, 1, actor);
    const subPartner = await createChildOrg(as(partnerAdmin, 'org:create'), partner.id, { kind: 'partner', name: unique('Sub') }, actor);

    // The org, its name, the parent's count and the copy: one transaction, after one parallel round of reads.
    expect(calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 1, TransactWriteItemsCommand: 1 });
    expect(inherited).toMatchObject({
      kind: 'customer',
      inboundIps: source.inboundIps,
      outboundIps: source.outboundIps,
      smarthost: source.smarthost,
      inheritedFrom: { orgId: partner.id, version: 1 },
      version: 1,
    });
    expect(afterPartnerChange).toEqual(inherited);
    expect(own).toMatchObject({ inboundIps: ['1.0.0.1'], outboundIps: [], smarthost: null, inheritedFrom: null, version: 2 });
    expect(await getConfig(as(partnerAdmin, 'config:read'), subPartner.id)).toMatchObject({ version: 0, inheritedFrom: null });
  });

  it('is kept for partners and customers only', async () => {
    await expect(getConfig(as(world.admin, 'config:read'), world.channel.id)).rejects.toThrow(NotFoundError);
    await expect(putConfig(as(world.admin, 'config:write'), 'org_root', {}, null, actor)).rejects.toThrow(ConflictError);
  });
});

describe('deleting an org', () => {
  it('deletes its profile and configuration with it', async () => {
    const partner = await createChildOrg(as(world.admin, 'org:create'), world.channel.id, { kind: 'partner', name: unique('P') }, actor);
    await putProfile(as(world.admin, 'profile:write'), partner.id, contosoProfile, null, actor);
    await putConfig(as(world.admin, 'config:write'), partner.id, partnerConfig, null, actor);

    await deleteOrg(as(world.admin, 'org:delete'), partner.id, null, actor);

    expect((await ProfileEntity.get({ orgId: partner.id }).go()).data).toBeNull();
    expect((await ConfigEntity.get({ orgId: partner.id }).go()).data).toBeNull();
  });
});
