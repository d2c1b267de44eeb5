import { describe, expect, it } from 'vitest';
import { MembershipEntity } from '#domain/access/membership.entity';
import { interpretChange, UnauditableChangeError } from '#domain/audit/change';
import { OrgEntity, type OrgItem } from '#domain/orgs/org.entity';
import { toStreamChange } from '#functions/audit/handler';
import { streamRecord } from './support/stream-record.ts';

const by = { userId: 'usr_u1', requestId: 'r1', sourceIp: '198.51.100.7', at: '2026-01-01T00:00:00.000Z' };
const later = { userId: 'usr_u2', requestId: 'r2', at: '2026-01-02T00:00:00.000Z' };
const org: OrgItem = {
  orgId: 'org_c1',
  kind: 'customer',
  name: 'Acme',
  nameKey: 'acme',
  status: 'active',
  parentId: 'org_p1',
  path: '/org_root/org_ch/org_p1/org_c1',
  pathKey: '/org_root/org_ch/org_p1/org_c1/',
  treeId: 'org_ch',
  depth: 4,
  customerType: 'standard',
  partnerAccess: true,
  childCount: 0,
  subscriptionState: 'trial',
  subscriptionSince: by.at,
  createdAt: by.at,
  updatedAt: by.at,
  version: 1,
  writtenBy: by,
};
const stored = (item: OrgItem) => OrgEntity.create(item).params().Item as Record<string, unknown>;
const interpret = (record: Parameters<typeof streamRecord>[0]) => interpretChange(toStreamChange(streamRecord(record)));

describe('turning a stream record into an audit change', () => {
  it('records every audited field of a created org, and none of the keys, stamps or derived fields', () => {
    const result = interpret({ eventName: 'INSERT', after: stored(org) });
    expect(result.kind).toBe('entry');
    if (result.kind !== 'entry') return;
    expect(result.descriptor.actionOf(result.change)).toBe('org.created');
    expect(Object.keys(result.changes).sort()).toEqual(
      [
        'customerType',
        'kind',
        'name',
        'orgId',
        'parentId',
        'partnerAccess',
        'path',
        'status',
        'subscriptionSince',
        'subscriptionState',
      ].sort(),
    );
    expect(result.changes.name).toEqual({ before: null, after: 'Acme' });
  });

  it('names a rename, a move and a subscription change for what changed', () => {
    const renamed = interpret({
      eventName: 'MODIFY',
      before: stored(org),
      after: stored({ ...org, name: 'Acme 2', nameKey: 'acme 2', version: 2, writtenBy: later }),
    });
    const moved = interpret({
      eventName: 'MODIFY',
      before: stored(org),
      after: stored({
        ...org,
        parentId: 'org_p2',
        path: '/org_root/org_ch/org_p2/org_c1',
        pathKey: '/org_root/org_ch/org_p2/org_c1/',
        version: 2,
      }),
    });
    const billed = interpret({
      eventName: 'MODIFY',
      before: stored(org),
      after: stored({ ...org, subscriptionState: 'active', subscriptionSince: later.at, version: 2 }),
    });
    const actions = [renamed, moved, billed].map((r) => (r.kind === 'entry' ? r.descriptor.actionOf(r.change) : r.kind));
    expect(actions).toEqual(['org.renamed', 'org.moved', 'org.subscription_changed']);
    if (renamed.kind === 'entry') expect(renamed.changes).toEqual({ name: { before: 'Acme', after: 'Acme 2' } });
  });

  it('skips a change of bookkeeping alone (a parent counting a new child)', () => {
    const result = interpret({ eventName: 'MODIFY', before: stored(org), after: stored({ ...org, childCount: 1, writtenBy: later }) });
    expect(result).toMatchObject({ kind: 'skip' });
  });

  it('skips internal entities and refuses items the API did not write', () => {
    const name = { pk: '$pp#parentid_org_p1#namekey_acme', sk: '$orgname_1', __edb_e__: 'orgName', __edb_v__: '1', orgId: 'org_c1' };
    expect(interpret({ eventName: 'INSERT', after: name })).toMatchObject({ kind: 'skip' });
    expect(() => interpret({ eventName: 'INSERT', after: { pk: 'x', sk: 'y', name: 'console edit' } })).toThrow(UnauditableChangeError);
    expect(() => interpret({ eventName: 'INSERT', after: { pk: 'x', sk: 'y', __edb_e__: 'mystery', __edb_v__: '1' } })).toThrow(
      /does not know/,
    );
  });

  it('marks deletions by the TTL sweeper as expiries', () => {
    const member = MembershipEntity.create({
      userId: 'usr_u1',
      orgId: 'org_c1',
      email: 'u1@test.example',
      role: 'customer-admin',
      builtIn: true,
      createdAt: by.at,
      updatedAt: by.at,
      version: 1,
      writtenBy: by,
    }).params().Item as Record<string, unknown>;
    const expired = interpret({ eventName: 'REMOVE', before: member, ttl: true });
    const removed = interpret({ eventName: 'REMOVE', before: member });
    expect(expired).toMatchObject({ kind: 'entry', change: { expired: true } });
    expect(removed).toMatchObject({ kind: 'entry', change: { expired: false } });
    if (removed.kind === 'entry') expect(removed.descriptor.actionOf(removed.change)).toBe('member.removed');
  });
});
