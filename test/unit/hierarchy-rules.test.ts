import { describe, expect, it } from 'vitest';
import { roleNames, roleOf } from '#domain/access/roles';
import { mayHoldChild, maySubscriptionMove, subscriptionStates } from '#domain/orgs/kinds';
import { OrgPath } from '#domain/orgs/org-path';
import { nameKeyOf } from '#domain/orgs/org-view';

describe('kind rules', () => {
  it.each([
    ['platform', 'channel', true],
    ['platform', 'partner', false],
    ['channel', 'partner', true],
    ['channel', 'customer', false],
    ['partner', 'partner', true],
    ['partner', 'customer', true],
    ['customer', 'customer', false],
    ['customer', 'partner', false],
  ] as const)('a %s may hold a %s: %s', (parent, child, allowed) => {
    expect(mayHoldChild(parent, child)).toBe(allowed);
  });
});

describe('subscription transitions', () => {
  it('never leaves cancelled', () => {
    for (const to of subscriptionStates) expect(maySubscriptionMove('cancelled', to)).toBe(false);
  });

  it('goes from trial to active and from past_due back to active', () => {
    expect(maySubscriptionMove('trial', 'active')).toBe(true);
    expect(maySubscriptionMove('past_due', 'active')).toBe(true);
    expect(maySubscriptionMove('trial', 'past_due')).toBe(false);
  });
});

describe('OrgPath', () => {
  it('splits and joins whole ids', () => {
    const path = OrgPath.child('/org_root/org_a', 'org_b');
    expect(path).toBe('/org_root/org_a/org_b');
    expect(OrgPath.ids(path)).toEqual(['org_root', 'org_a', 'org_b']);
    expect(OrgPath.depth(path)).toBe(3);
  });

  it('closes the subtree key with a delimiter so org_a1 never prefixes org_a10', () => {
    const a1 = OrgPath.key('/org_root/org_ch/org_a1');
    const a10 = OrgPath.key('/org_root/org_ch/org_a10');
    expect(a10.startsWith(a1)).toBe(false);
    expect(OrgPath.isAncestorOrSelf('org_a1', '/org_root/org_ch/org_a10')).toBe(false);
  });

  it('partitions by channel, never at the root', () => {
    expect(OrgPath.treeId('/org_root')).toBe('root');
    expect(OrgPath.treeId('/org_root/org_ch')).toBe('org_ch');
    expect(OrgPath.treeId('/org_root/org_ch/org_p/org_c')).toBe('org_ch');
  });
});

describe('names', () => {
  it('compare without case or extra spaces', () => {
    expect(nameKeyOf('  Acme   MSP ')).toBe(nameKeyOf('acme msp'));
  });
});

describe('roles', () => {
  it('every role is assignable somewhere and carries org:read', () => {
    for (const name of roleNames) {
      const role = roleOf(name);
      expect(role.assignableAt.length).toBeGreaterThan(0);
      expect(role.permissions).toContain('org:read');
    }
  });

  it('keeps billing away from technicians', () => {
    expect(roleOf('partner-technician').permissions.some((p) => p.startsWith('billing:'))).toBe(false);
  });
});
