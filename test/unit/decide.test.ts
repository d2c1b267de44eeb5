import { describe, expect, it } from 'vitest';
import { decide, visibleFrom } from '#domain/access/decide';
import type { Grant } from '#domain/access/grants';

const grant = (orgId: string, role: Grant['role']): Grant => ({ kind: 'membership', orgId, role, builtIn: false });

describe('decide', () => {
  const customer = { orgId: 'org_c1', path: '/org_root/org_ch/org_p1/org_c1' };

  it('allows through a grant held at an ancestor', () => {
    // Prepare
    const grants = [grant('org_p1', 'partner-admin')];
    // Act
    const decision = decide(grants, customer, 'org:update');
    // Assess
    expect(decision).toMatchObject({ allowed: true, grant: { orgId: 'org_p1', role: 'partner-admin' } });
  });

  it('is out of scope (404) when no grant covers the org', () => {
    const decision = decide([grant('org_p2', 'partner-admin')], customer, 'org:read');
    expect(decision).toMatchObject({ allowed: false, visible: false, rule: 'out-of-scope' });
  });

  it('is forbidden (403) when a covering grant lacks the permission', () => {
    const decision = decide([grant('org_p1', 'partner-technician')], customer, 'org:update');
    expect(decision).toMatchObject({ allowed: false, visible: true, rule: 'missing-permission' });
  });

  it('never treats an id that is a string prefix of another as an ancestor', () => {
    const org = { orgId: 'org_p10', path: '/org_root/org_ch/org_p10' };
    expect(decide([grant('org_p1', 'partner-admin')], org, 'org:read')).toMatchObject({ allowed: false, visible: false });
  });

  it('does not let a grant on a descendant reach up to its ancestors', () => {
    const partner = { orgId: 'org_p1', path: '/org_root/org_ch/org_p1' };
    expect(decide([grant('org_c1', 'customer-admin')], partner, 'org:read')).toMatchObject({ allowed: false, visible: false });
  });

  it('names the allowing grant nearest the root', () => {
    const grants = [grant('org_c1', 'customer-admin'), grant('org_ch', 'channel-admin')];
    const decision = decide(grants, customer, 'org:read');
    expect(decision.allowed && decision.grant.orgId).toBe('org_ch');
  });

  it('allows when any covering grant carries the permission', () => {
    const grants = [grant('org_ch', 'read-only'), grant('org_c1', 'customer-admin')];
    expect(decide(grants, customer, 'member:write')).toMatchObject({ allowed: true, grant: { orgId: 'org_c1' } });
  });
});

describe('visibleFrom', () => {
  it('starts the breadcrumb at the highest org the caller holds a grant on', () => {
    expect(visibleFrom([grant('org_p1', 'read-only')], { orgId: 'org_c1', path: '/org_root/org_ch/org_p1/org_c1' })).toEqual([
      'org_p1',
      'org_c1',
    ]);
  });

  it('is empty without a covering grant', () => {
    expect(visibleFrom([grant('org_p10', 'read-only')], { orgId: 'org_p1', path: '/org_root/org_ch/org_p1' })).toEqual([]);
  });
});
