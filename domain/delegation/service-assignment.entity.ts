import { Entity, type EntityItem } from 'electrodb';
import { roleNames } from '../access/roles.ts';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A provider's user assigned to one account of a service. Held in the
 * user's partition with their other grants; listed per service on gsi1.
 *
 * It grants access only while the account org's `serviceLinks` holds
 * `<serviceId>:<linkId>`: removing the account from the service, or ending the
 * service, drops that link from the account in one write, which ends every
 * assignment to it at once even if deleting the assignment items is cut short;
 * re-adding the account makes a new link, so leftovers never come back to life.
 * Likewise it holds only while the user is still the member of the provider
 * org it was made for (`memberSince` is that membership's `createdAt`): a user
 * who leaves the provider loses it on the next call, and being invited again
 * later does not bring it back.
 */
export const ServiceAssignmentEntity = new Entity(
  {
    model: { entity: 'serviceAssignment', version: '1', service },
    attributes: {
      userId: { type: 'string', required: true, readOnly: true },
      serviceId: { type: 'string', required: true, readOnly: true },
      accountId: { type: 'string', required: true, readOnly: true },
      /** The account's link to the service when assigned (see serviceLinks on the org). */
      linkId: { type: 'string', required: true, readOnly: true },
      providerOrgId: { type: 'string', required: true, readOnly: true },
      ownerOrgId: { type: 'string', required: true, readOnly: true },
      /** The service's role, copied when assigned: a service's role never changes. */
      role: { type: roleNames, required: true, readOnly: true },
      email: { type: 'string', required: true },
      /** The `createdAt` of the user's membership of the provider org when assigned: the assignment lives and dies with that membership. */
      memberSince: { type: 'string', required: true, readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byPrincipal: {
        collection: 'grants',
        pk: { field: 'pk', composite: ['userId'] },
        sk: { field: 'sk', composite: ['serviceId', 'accountId'] },
      },
      assignmentsOfService: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['serviceId'] },
        sk: { field: 'gsi1sk', composite: ['accountId', 'userId'] },
      },
    },
  },
  entityConfig,
);

export type ServiceAssignmentItem = EntityItem<typeof ServiceAssignmentEntity>;

/** How an account's org item names its live link to a service. */
export const serviceLinkOf = (serviceId: string, linkId: string): string => `${serviceId}:${linkId}`;

/** The service and link an account's link names. */
export const parseServiceLink = (link: string): { serviceId: string; linkId: string } => {
  const [serviceId = '', linkId = ''] = link.split(':');
  return { serviceId, linkId };
};

/**
 * Links in service order. Sorting the joined strings would not do: ':' sorts
 * after digits, so `svc_s1:…` came before `svc_s:…`.
 */
export const byServiceLink = (a: string, b: string): number => {
  const [x, y] = [parseServiceLink(a), parseServiceLink(b)];
  if (x.serviceId !== y.serviceId) return x.serviceId < y.serviceId ? -1 : 1;
  return x.linkId < y.linkId ? -1 : x.linkId > y.linkId ? 1 : 0;
};
