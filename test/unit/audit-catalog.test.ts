import { describe, expect, it } from 'vitest';
import { auditActions } from '#domain/audit/actions';
import { auditCatalog } from '#domain/audit/catalog';
import { db } from '#domain/db/service';

interface SchemaView {
  model: { entity: string };
  attributes: Record<string, { required?: boolean; watch?: unknown; properties?: Record<string, { required?: boolean }> }>;
}
const entities = Object.values(db.entities as Record<string, { schema: SchemaView }>).map((entity) => entity.schema);

/** Entities that are never written by a request on someone's behalf, so they carry no actor. */
const unstampedByDesign = ['idempotency', 'auditEntry', 'auditHead'];

describe('the audit catalog and the actor on every write', () => {
  it('names every entity of the table, audited or internal with a reason', () => {
    expect(Object.keys(auditCatalog).sort()).toEqual(entities.map((schema) => schema.model.entity).sort());
    for (const [name, entry] of Object.entries(auditCatalog)) {
      if ('internal' in entry) expect(entry.internal.length, name).toBeGreaterThan(10);
    }
  });

  it('makes every entity carry a required writtenBy (who and when) that every update must set', () => {
    const stamped = entities.filter((schema) => !unstampedByDesign.includes(schema.model.entity));
    expect(stamped.length).toBeGreaterThan(5);
    for (const schema of stamped) {
      const attribute = schema.attributes.writtenBy;
      expect(attribute?.required, schema.model.entity).toBe(true);
      expect(attribute?.watch, schema.model.entity).toBe('*');
      expect(attribute?.properties?.requestId?.required, schema.model.entity).toBe(true);
      expect(attribute?.properties?.at?.required, schema.model.entity).toBe(true);
    }
  });

  it('refuses a create, an update, a patch and a removal without an actor before anything is sent', () => {
    const { membership, org } = db.entities;
    const item = {
      userId: 'usr_1',
      orgId: 'org_1',
      email: 'a@test.example',
      role: 'read-only' as const,
      builtIn: false,
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    };
    // The types refuse it already; the cast shows the runtime refuses it too.
    expect(() => membership.create(item as never).params()).toThrow(/writtenBy/);
    expect(() => membership.update({ userId: 'usr_1', orgId: 'org_1' }).set({ role: 'customer-user' }).params()).toThrow(/writtenBy/);
    expect(() => membership.patch({ userId: 'usr_1', orgId: 'org_1' }).set({ builtIn: true }).params()).toThrow(/writtenBy/);
    expect(() => org.update({ orgId: 'org_1' }).add({ childCount: 1 }).params()).toThrow(/writtenBy/);
    expect(() => org.patch({ orgId: 'org_1' }).remove(['moveId']).params()).toThrow(/writtenBy/);
    expect(() =>
      membership
        .update({ userId: 'usr_1', orgId: 'org_1' })
        .set({ role: 'customer-user', writtenBy: { requestId: 'r', at: 'x' } })
        .params(),
    ).not.toThrow();
  });

  it('records only actions from the one list', () => {
    expect(new Set(auditActions).size).toBe(auditActions.length);
    for (const action of auditActions) expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });
});
