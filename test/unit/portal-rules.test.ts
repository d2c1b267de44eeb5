import { describe, expect, it } from 'vitest';
import type { Grant, RequesterGrant } from '#domain/access/grants';
import type { OrgItem } from '#domain/orgs/org.entity';
import { requesterLinkOf } from '#domain/portal/asset.entity';
import { clientSeesAsset } from '#domain/portal/assets';
import { judgePortal } from '#domain/portal/authorize-portal';
import { builtInPortalRole, builtInPortalRoles, clientPermissions, portalRoleKey } from '#domain/portal/client-permissions';
import { effectiveShare } from '#domain/portal/document-access';
import { projectDelta, ticketDelta } from '#domain/portal/summary-counters';
import { clientSeesTicket, commentVerdict, editTicketVerdict } from '#domain/portal/ticket-rules';

const by = { requestId: 'unit', at: '2026-01-01T00:00:00.000Z' };
const org = (orgId: string, path: string, partnerAccess = true): OrgItem => ({
  orgId,
  kind: 'customer',
  name: orgId,
  nameKey: orgId,
  status: 'active',
  parentId: path.split('/').at(-2) ?? '',
  path,
  pathKey: `${path}/`,
  treeId: 'org_ch',
  depth: path.split('/').length - 1,
  partnerAccess,
  childCount: 0,
  createdAt: by.at,
  updatedAt: by.at,
  version: 1,
  writtenBy: by,
});
const customer = org('org_cu', '/org_root/org_ch/org_pa/org_cu');
const restricted = org('org_cu', '/org_root/org_ch/org_pa/org_cu', false);
const requester = (role: string, orgId = 'org_cu', linkId = 'l1'): RequesterGrant => ({
  kind: 'requester',
  orgId,
  portalRole: role,
  permissions: builtInPortalRole(role)?.permissions ?? [],
  linkId,
});
const technician: Grant = { kind: 'membership', orgId: 'org_pa', role: 'partner-technician', builtIn: false };
const read = { caller: { principalId: 'usr_me', principalType: 'user' as const }, permission: 'portal:read' as const };

describe('built-in portal roles', () => {
  it('carry the documented permission sets', () => {
    expect(Object.fromEntries(builtInPortalRoles.map((role) => [role.name, role.permissions]))).toEqual({
      'client-admin': [
        'view-company-tickets',
        'create-tickets',
        'view-projects',
        'view-all-assets',
        'view-documents',
        'view-quotes-invoices',
        'approve-quotes',
      ],
      approver: ['view-own-tickets', 'create-tickets', 'view-projects', 'view-quotes-invoices', 'approve-quotes'],
      requester: ['view-own-tickets', 'create-tickets', 'view-mapped-assets'],
    });
    for (const role of builtInPortalRoles) expect(role.permissions.every((p) => clientPermissions.includes(p))).toBe(true);
  });

  it('are found by name case- and space-insensitively', () => {
    expect(portalRoleKey('  Client   Admin ')).toBe('client admin');
    expect(builtInPortalRole(' APPROVER ')?.name).toBe('approver');
    expect(builtInPortalRole('owner')).toBeUndefined();
  });
});

describe('who acts on which side of the portal', () => {
  it('takes the MSP side through decide, and a requester through its grant', () => {
    expect(judgePortal(read, 'org_cu', customer, { grants: [technician], requesters: [] }, ['view-projects']).side).toBe('msp');
    expect(judgePortal(read, 'org_cu', customer, { grants: [], requesters: [requester('approver')] }, ['view-projects']).side).toBe(
      'client',
    );
  });

  it('refuses a requester whose role lacks the permission with 403, and a stranger with 404', () => {
    const plain = { grants: [], requesters: [requester('requester')] };
    expect(() => judgePortal(read, 'org_cu', customer, plain, ['view-projects'])).toThrow(expect.objectContaining({ statusCode: 403 }));
    const elsewhere = { grants: [], requesters: [requester('client-admin', 'org_other')] };
    expect(() => judgePortal(read, 'org_cu', customer, elsewhere, 'any')).toThrow(expect.objectContaining({ statusCode: 404 }));
  });

  it('stops the MSP side at a customer that switched partner access off, and leaves its requesters in', () => {
    expect(() => judgePortal(read, 'org_cu', restricted, { grants: [technician], requesters: [] }, 'any')).toThrow(
      expect.objectContaining({ statusCode: 403, type: 'partner-access-off' }),
    );
    expect(judgePortal(read, 'org_cu', restricted, { grants: [], requesters: [requester('requester')] }, 'any').side).toBe('client');
  });
});

describe('what a requester sees', () => {
  const mine = { openedBy: 'usr_me', status: 'open' as const };
  const theirs = { openedBy: 'usr_other', status: 'open' as const };

  it('tickets: its company’s or only its own, as its role says', () => {
    expect(clientSeesTicket(requester('client-admin'), theirs, 'usr_me')).toBe(true);
    expect(clientSeesTicket(requester('requester'), mine, 'usr_me')).toBe(true);
    expect(clientSeesTicket(requester('requester'), theirs, 'usr_me')).toBe(false);
  });

  it('edits: its own ticket, never the status; others it sees are 403, others it does not are 404', () => {
    expect(editTicketVerdict(requester('requester'), mine, 'usr_me', { description: 'x' })).toEqual({ verdict: 'allowed' });
    expect(editTicketVerdict(requester('requester'), mine, 'usr_me', { status: 'closed' })).toMatchObject({ verdict: 'forbidden' });
    expect(editTicketVerdict(requester('client-admin'), theirs, 'usr_me', { description: 'x' })).toMatchObject({ verdict: 'forbidden' });
    expect(editTicketVerdict(requester('requester'), theirs, 'usr_me', { description: 'x' })).toEqual({ verdict: 'hidden' });
    expect(commentVerdict(requester('approver'), mine, 'usr_me')).toEqual({ verdict: 'allowed' });
  });

  it('assets: all with view-all-assets, else those mapped to its very grant', () => {
    const asset = { requesterLinks: [requesterLinkOf('usr_me', 'l1')] };
    expect(clientSeesAsset(requester('requester', 'org_cu', 'l1'), asset, 'usr_me')).toBe(true);
    // The same person removed and added again holds a new grant: the old mapping does not count.
    expect(clientSeesAsset(requester('requester', 'org_cu', 'l2'), asset, 'usr_me')).toBe(false);
    expect(clientSeesAsset(requester('client-admin', 'org_cu', 'l9'), { requesterLinks: [] }, 'usr_me')).toBe(true);
    expect(clientSeesAsset(requester('approver'), asset, 'usr_me')).toBe(false);
  });

  it('documents: shared with its company while the company sits under the partner that wrote them', () => {
    const orgs = new Map([['org_cu', customer]]);
    expect(effectiveShare({ partnerId: 'org_pa', sharedWith: 'org_cu' }, orgs)?.orgId).toBe('org_cu');
    expect(effectiveShare({ partnerId: 'org_pa1', sharedWith: 'org_cu' }, orgs)).toBeNull();
    expect(effectiveShare({ partnerId: 'org_pa', sharedWith: undefined }, orgs)).toBeNull();
  });
});

describe('summary counters', () => {
  it('move a ticket from one status count to the other', () => {
    expect(ticketDelta(null, 'open')).toEqual({ ticketsOpen: 1 });
    expect(ticketDelta('open', 'resolved')).toEqual({ ticketsOpen: -1, ticketsResolved: 1 });
    expect(ticketDelta('closed', 'closed')).toEqual({});
  });

  it('count active projects, and those shown to the client apart', () => {
    expect(projectDelta(null, { status: 'active', visibleToClient: true })).toEqual({ projectsActive: 1, projectsActiveVisible: 1 });
    expect(projectDelta({ status: 'active', visibleToClient: true }, { status: 'active', visibleToClient: false })).toEqual({
      projectsActive: 0,
      projectsActiveVisible: -1,
    });
    expect(projectDelta({ status: 'active', visibleToClient: false }, { status: 'completed', visibleToClient: false })).toEqual({
      projectsActive: -1,
    });
  });
});
