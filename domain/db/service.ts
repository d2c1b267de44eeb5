import { Service } from 'electrodb';
import { MembershipEntity } from '../access/membership.entity.ts';
import { UserEmailEntity, UserEntity } from '../access/user.entity.ts';
import { AuditEntryEntity, AuditHeadEntity } from '../audit/audit-entry.entity.ts';
import { BillingEventEntity } from '../billing/billing-event.entity.ts';
import { InvoiceCounterEntity, InvoiceEntity, InvoiceListingEntity } from '../billing/invoice.entity.ts';
import { PriceBookEntity } from '../billing/price-book.entity.ts';
import { ApiKeyEntity } from '../delegation/api-key.entity.ts';
import { ExternalAdminEntity } from '../delegation/external-admin.entity.ts';
import { ImpersonationEntity } from '../delegation/impersonation.entity.ts';
import { ServiceAssignmentEntity } from '../delegation/service-assignment.entity.ts';
import { IdempotencyEntity } from '../idempotency/idempotency.entity.ts';
import { MoveJobEntity } from '../orgs/move-job.entity.ts';
import { OrgEntity, OrgNameEntity } from '../orgs/org.entity.ts';
import { entityConfig } from './entity-config.ts';
import { TombstoneEntity } from './tombstone.entity.ts';

/** The entities composed over the one table, for transactions and collections. */
export const db = new Service(
  {
    org: OrgEntity,
    orgName: OrgNameEntity,
    user: UserEntity,
    userEmail: UserEmailEntity,
    membership: MembershipEntity,
    externalAdmin: ExternalAdminEntity,
    serviceAssignment: ServiceAssignmentEntity,
    impersonation: ImpersonationEntity,
    apiKey: ApiKeyEntity,
    idempotency: IdempotencyEntity,
    moveJob: MoveJobEntity,
    tombstone: TombstoneEntity,
    auditEntry: AuditEntryEntity,
    auditHead: AuditHeadEntity,
    priceBook: PriceBookEntity,
    invoice: InvoiceEntity,
    invoiceListing: InvoiceListingEntity,
    invoiceCounter: InvoiceCounterEntity,
    billingEvent: BillingEventEntity,
  },
  entityConfig,
);
