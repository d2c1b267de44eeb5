/** Kept apart from the entity so the route table (and `cdk synth`) loads without a table to point at. */
export const billingEventTypes = ['subscription.changed', 'invoice.created', 'invoice.issued', 'invoice.paid', 'invoice.voided'] as const;
