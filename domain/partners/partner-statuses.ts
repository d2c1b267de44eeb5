/** Kept apart from the profile writes so the route table (and `cdk synth`) loads without a table to point at. */
export const builtInPartnerStatuses = ['technical', 'sales'] as const;
