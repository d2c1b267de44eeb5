/** Kept apart from the entity so the route table (and `cdk synth`) loads without a table to point at. */
export const applicationStatuses = ['pending', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
