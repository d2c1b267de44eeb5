import { Service } from 'electrodb';
import { MembershipEntity } from '../access/membership.entity.ts';
import { UserEmailEntity, UserEntity } from '../access/user.entity.ts';
import { ApplicationEntity } from '../applications/application.entity.ts';
import { AuditEntryEntity, AuditHeadEntity } from '../audit/audit-entry.entity.ts';
import { BillingEventEntity } from '../billing/billing-event.entity.ts';
import { InvoiceCounterEntity, InvoiceEntity, InvoiceListingEntity } from '../billing/invoice.entity.ts';
import { PriceBookEntity } from '../billing/price-book.entity.ts';
import { ApiKeyEntity } from '../delegation/api-key.entity.ts';
import { ExternalAdminEntity } from '../delegation/external-admin.entity.ts';
import { ImpersonationEntity } from '../delegation/impersonation.entity.ts';
import { ImpersonationListingEntity } from '../delegation/impersonation-listing.entity.ts';
import { ServiceRelationshipEntity } from '../delegation/service.entity.ts';
import { ServiceAccountEntity } from '../delegation/service-account.entity.ts';
import { ServiceAssignmentEntity } from '../delegation/service-assignment.entity.ts';
import { IdempotencyEntity } from '../idempotency/idempotency.entity.ts';
import { MoveJobEntity } from '../orgs/move-job.entity.ts';
import { OrgEntity, OrgNameEntity } from '../orgs/org.entity.ts';
import { ConfigEntity } from '../partners/config.entity.ts';
import { ProfileEntity } from '../partners/profile.entity.ts';
import { AssetEntity } from '../portal/asset.entity.ts';
import { DocumentEntity, DocumentShareEntity } from '../portal/document.entity.ts';
import { PortalRoleEntity } from '../portal/portal-role.entity.ts';
import { DocumentShareCountEntity, PortalSummaryEntity } from '../portal/portal-summary.entity.ts';
import { ProjectEntity } from '../portal/project.entity.ts';
import { QuoteEntity } from '../portal/quote.entity.ts';
import { RequesterEntity } from '../portal/requester.entity.ts';
import { TicketCommentEntity, TicketEntity } from '../portal/ticket.entity.ts';
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
    serviceRelationship: ServiceRelationshipEntity,
    serviceAccount: ServiceAccountEntity,
    impersonation: ImpersonationEntity,
    impersonationListing: ImpersonationListingEntity,
    apiKey: ApiKeyEntity,
    requester: RequesterEntity,
    portalRole: PortalRoleEntity,
    ticket: TicketEntity,
    ticketComment: TicketCommentEntity,
    project: ProjectEntity,
    asset: AssetEntity,
    document: DocumentEntity,
    documentShare: DocumentShareEntity,
    quote: QuoteEntity,
    portalSummary: PortalSummaryEntity,
    documentShareCount: DocumentShareCountEntity,
    idempotency: IdempotencyEntity,
    moveJob: MoveJobEntity,
    tombstone: TombstoneEntity,
    auditEntry: AuditEntryEntity,
    auditHead: AuditHeadEntity,
    orgProfile: ProfileEntity,
    orgConfig: ConfigEntity,
    application: ApplicationEntity,
    priceBook: PriceBookEntity,
    invoice: InvoiceEntity,
    invoiceListing: InvoiceListingEntity,
    invoiceCounter: InvoiceCounterEntity,
    billingEvent: BillingEventEntity,
  },
  entityConfig,
);

/** The entities a transaction callback hands out. */
export type TransactionEntities = Parameters<Parameters<typeof db.transaction.write>[0]>[0];

/**
 * A transaction's check that an org still exists, so that what the
 * transaction writes for it never outlives it (a deletion may land between
 * the request's read and its write).
 */
export const orgStillExists = (org: TransactionEntities['org'], orgId: string) =>
  org
    .check({ orgId })
    .where((attr, { exists }) => exists(attr.orgId))
    .commit();
