import { describe, expect, it } from 'vitest';
import type { ItemChange } from '#domain/audit/descriptor';
import { serviceAssignmentAudit } from '#domain/delegation/delegation.audit';
import { serviceAccountAudit, serviceRelationshipAudit } from '#domain/delegation/service.audit';

const change = (
  eventName: ItemChange['eventName'],
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): ItemChange => ({
  eventName,
  before,
  after,
  changed: Object.keys({ ...before, ...after }),
  expired: false,
});

const service = { serviceId: 'svc_1', ownerOrgId: 'org_p1', providerOrgId: 'org_p2', status: 'active' };
const account = { serviceId: 'svc_1', accountId: 'org_c1', linkId: 'l1', status: 'linked' };

describe('service audit', () => {
  it('records a service in its owner’s chain: created, then ended when the owner ends it, nothing for the bookkeeping after', () => {
    expect(serviceRelationshipAudit.orgIdOf(service)).toBe('org_p1');
    expect(serviceRelationshipAudit.actionOf(change('INSERT', null, service))).toBe('service.created');
    expect(serviceRelationshipAudit.actionOf(change('MODIFY', service, { ...service, status: 'ending' }))).toBe('service.ended');
    expect(
      serviceRelationshipAudit.actionOf(change('MODIFY', { ...service, status: 'ending' }, { ...service, status: 'ended' })),
    ).toBeNull();
  });

  it('records an account in the account’s own chain: added, and removed when its link is dropped (the item’s delete is bookkeeping)', () => {
    expect(serviceAccountAudit.orgIdOf(account)).toBe('org_c1');
    expect(serviceAccountAudit.targetIdOf(account)).toBe('svc_1/org_c1');
    expect(serviceAccountAudit.actionOf(change('INSERT', null, account))).toBe('service.account_added');
    expect(serviceAccountAudit.actionOf(change('MODIFY', account, { ...account, status: 'removing' }))).toBe('service.account_removed');
    expect(serviceAccountAudit.actionOf(change('REMOVE', { ...account, status: 'removing' }, null))).toBeNull();
  });

  it('records an assignment granted (a dead one replaced too) and revoked', () => {
    const assignment = { serviceId: 'svc_1', accountId: 'org_c1', userId: 'usr_1', linkId: 'l1' };

    expect(serviceAssignmentAudit.actionOf(change('INSERT', null, assignment))).toBe('service.assignment_granted');
    expect(serviceAssignmentAudit.actionOf(change('MODIFY', assignment, { ...assignment, linkId: 'l2' }))).toBe(
      'service.assignment_granted',
    );
    expect(serviceAssignmentAudit.actionOf(change('REMOVE', assignment, null))).toBe('service.assignment_revoked');
  });
});
