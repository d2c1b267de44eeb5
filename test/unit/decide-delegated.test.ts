import { describe, expect, it } from 'vitest';
import { decide, visibleFrom } from '#domain/access/decide';
import type { Grant } from '#domain/access/grants';

const now = Date.parse('2026-06-01T00:00:00.000Z');
const inAnHour = now / 1000 + 3600;
const customer = { orgId: 'org_c1', path: '/org_root/org_ch/org_p1/org_c1', partnerAccess: true, serviceLinks: ['svc_1:lnk1'] };
const sibling = { orgId: 'org_c10', path: '/org_root/org_ch/org_p1/org_c10', partnerAccess: true };
const restricted = { ...customer, partnerAccess: false };

const membership = (orgId: string, role: Grant['role']): Grant => ({ kind: 'membership', orgId, role, builtIn: false });
const external: Grant = { kind: 'external-admin', orgId: 'org_c1', role: 'customer-admin', expiresAt: inAnHour };
const assignment: Grant = { kind: 'service', orgId: 'org_c1', role: 'read-only', serviceId: 'svc_1', linkId: 'lnk1', ownerOrgId: 'org_p1' };
const key: Grant = { kind: 'api-key', orgId: 'org_p1', role: 'partner-admin', keyId: 'key_1' };
const session = (impersonatorGrants: Grant[], extra: Partial<Extract<Grant, { kind: 'impersonation' }>> = {}): Grant => ({
  kind: 'impersonation',
  orgId: 'org_c1',
  role: 'customer-admin',
  impersonationId: 'imp_1',
  impersonatorId: 'usr_t',
  endsAt: new Date(now + 30 * 60_000).toISOString(),
  ended: false,
  impersonatorGrants,
  ...extra,
});

describe('decide: delegated grants', () => {
  it('lets an external admin reach its customer alone, until it expires', () => {
    expect(decide([external], customer, 'member:write', now)).toMatchObject({ allowed: true, grant: { kind: 'external-admin' } });
    expect(decide([external], sibling, 'org:read', now)).toMatchObject({ allowed: false, rule: 'out-of-scope' });
    expect(decide([{ ...external, expiresAt: now / 1000 - 1 }], customer, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
  });

  it('lets a service assignment reach its account only while the account still links the service', () => {
    expect(decide([assignment], customer, 'org:read', now)).toMatchObject({ allowed: true, grant: { kind: 'service' } });
    expect(decide([assignment], customer, 'org:update', now)).toMatchObject({ allowed: false, rule: 'missing-permission' });
    expect(decide([assignment], { ...customer, serviceLinks: [] }, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
    // The account was removed and added again: a new link, and the old assignment stays dead.
    expect(decide([assignment], { ...customer, serviceLinks: ['svc_1:lnk2'] }, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
  });

  it('stops a service assignment once its account is no longer a direct child of the service’s owner', () => {
    const moved = { ...customer, path: '/org_root/org_ch/org_p10/org_c1' };
    const deeper = { ...customer, path: '/org_root/org_ch/org_p1/org_sub/org_c1' };

    expect(decide([assignment], moved, 'org:read', now)).toMatchObject({ allowed: false, rule: 'out-of-scope' });
    expect(decide([assignment], deeper, 'org:read', now)).toMatchObject({ allowed: false, rule: 'out-of-scope' });
  });

  it('lets an API key act with its role over its org’s subtree and nowhere else', () => {
    expect(decide([key], customer, 'org:update', now)).toMatchObject({ allowed: true, grant: { kind: 'api-key' } });
    expect(decide([key], { orgId: 'org_p10', path: '/org_root/org_ch/org_p10' }, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
  });

  it('holds an impersonation session only in its customer, while it runs and its impersonator may impersonate there', () => {
    const technician = [membership('org_p1', 'partner-technician')];
    expect(decide([session(technician)], customer, 'member:write', now)).toMatchObject({ allowed: true, grant: { kind: 'impersonation' } });
    expect(decide([session(technician)], sibling, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
    expect(decide([session([membership('org_p1', 'read-only')])], customer, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
    expect(decide([session(technician, { ended: true })], customer, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
    const expired = session(technician, { endsAt: new Date(now - 1).toISOString() });
    expect(decide([expired], customer, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
  });
});

describe('decide: partner access switched off', () => {
  it('admits the customer’s own members only', () => {
    expect(decide([membership('org_c1', 'customer-admin')], restricted, 'member:write', now)).toMatchObject({ allowed: true });
  });

  it('stops every grant from outside with partner-access-off (403), platform admins included', () => {
    const outsiders: Grant[][] = [
      [membership('org_root', 'platform-admin')],
      [membership('org_p1', 'partner-admin')],
      [external],
      [assignment],
      [key],
      [session([membership('org_p1', 'partner-admin')])],
    ];
    for (const grants of outsiders) {
      expect(decide(grants, restricted, 'member:read', now), grants[0]?.kind).toMatchObject({
        allowed: false,
        visible: true,
        rule: 'partner-access-off',
      });
    }
  });

  it('lets the commercial relationship through from above: the summary and billing', () => {
    const partner = [membership('org_p1', 'partner-admin')];
    expect(decide(partner, restricted, 'org:read', now)).toMatchObject({ allowed: true, summaryOnly: true });
    expect(decide(partner, restricted, 'billing:write', now)).toMatchObject({ allowed: true, summaryOnly: false });
    expect(decide([key], restricted, 'billing:read', now)).toMatchObject({ allowed: true });
    expect(decide([external], restricted, 'billing:read', now)).toMatchObject({ rule: 'partner-access-off' });
    expect(decide([membership('org_p1', 'partner-technician')], restricted, 'billing:read', now)).toMatchObject({
      rule: 'partner-access-off',
    });
  });

  it('still answers 404 to those who never reached it', () => {
    expect(decide([membership('org_p10', 'partner-admin')], restricted, 'org:read', now)).toMatchObject({ rule: 'out-of-scope' });
  });

  it('prefers a member’s own grant over a crossing one', () => {
    const grants = [membership('org_p1', 'partner-admin'), membership('org_c1', 'customer-user')];
    expect(decide(grants, restricted, 'org:read', now)).toMatchObject({ allowed: true, summaryOnly: false, grant: { orgId: 'org_c1' } });
    expect(decide(grants, restricted, 'member:write', now)).toMatchObject({ allowed: false, rule: 'missing-permission' });
  });
});

describe('visibleFrom with one-org grants', () => {
  it('shows only the org itself to an external admin', () => {
    expect(visibleFrom([external], customer, now)).toEqual(['org_c1']);
  });
});
