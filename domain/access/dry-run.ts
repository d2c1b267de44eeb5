import type { GrantKind } from './grants.ts';

/** Someone who would no longer reach an org, and through which grant they reach it now. */
export interface AccessLoss {
  userId: string;
  email: string | null;
  orgId: string;
  via: GrantKind;
}

/** A rule the change would break: it would be refused with this rule's 409. */
export interface RuleViolation {
  rule: string;
  message: string;
}

/**
 * What a change that takes access away would do, answered without writing
 * anything (`?dryRun=true`): who loses access where, which accounts and
 * impersonation sessions it touches, and which rule, if any, would refuse it.
 */
export interface DryRunReport {
  dryRun: true;
  /** False when a rule in `violations` would refuse the change. */
  wouldSucceed: boolean;
  usersLosingAccess: AccessLoss[];
  /** Where the change locks out people whose grants are held above the asker's sight: how many, unnamed. */
  losingAccessAboveScope?: number;
  accountsAffected: string[];
  sessionsEnding: string[];
  violations: RuleViolation[];
}

export const dryRunReport = (parts: Partial<Omit<DryRunReport, 'dryRun' | 'wouldSucceed'>>): DryRunReport => {
  const violations = parts.violations ?? [];
  return {
    dryRun: true,
    wouldSucceed: violations.length === 0,
    usersLosingAccess: parts.usersLosingAccess ?? [],
    ...(parts.losingAccessAboveScope === undefined ? {} : { losingAccessAboveScope: parts.losingAccessAboveScope }),
    accountsAffected: parts.accountsAffected ?? [],
    sessionsEnding: parts.sessionsEnding ?? [],
    violations,
  };
};

/** The violation a domain error names by its `rule` extension, for a dry run that found it instead of throwing. */
export const violationOf = (error: { message: string; extensions?: Record<string, unknown> | undefined }): RuleViolation => ({
  rule: typeof error.extensions?.rule === 'string' ? error.extensions.rule : 'conflict',
  message: error.message,
});
