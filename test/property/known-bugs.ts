/**
 * Product bugs this property has found that are not fixed yet, each with the
 * symptom that identifies it. A disagreement matching a symptom is tagged with
 * its bug's id; the main run lets tagged disagreements pass (so one known bug
 * does not stop it from finding the next), while regressions.json replays a
 * case of each bug (its entry names the bug in `bug`) with nothing let pass,
 * so that case fails until the bug is fixed. Once fixed: delete the entry here
 * and the `bug` field of its regression; the regression itself stays.
 *
 * Empty now: the three bugs found so far (member lookups judged before the
 * caller's own authorization; explain naming grants above the asker's sight;
 * a 500 on any PATCH of the root) were fixed in dab32e0, and their cases stay
 * in regressions.json.
 */

/** Which check saw the disagreement. */
export type Check = 'status' | 'not-found-body' | 'leak';

export interface Seen {
  routeId: string;
  /** The org the route's permission was checked on. */
  target: string | null;
  /** The statuses the model allowed. */
  expected: readonly number[];
  status: number;
}

interface KnownBug {
  description: string;
  symptom: (check: Check, seen: Seen) => boolean;
}

/*
 * For example:
 *   'member-lookup-races-authorization': {
 *     description: 'PATCH/DELETE …/members/{userId} answer 404 for a missing membership before the caller's own 403',
 *     symptom: (check, { routeId, expected, status }) =>
 *       check === 'status' && routeId === 'updateMember' && status === 404 && expected.includes(403),
 *   },
 */
export const knownBugs: Record<string, KnownBug> = {};

/** The known bug a disagreement is a symptom of, if any. */
export const knownBugOf = (check: Check, seen: Seen): string | undefined =>
  Object.entries(knownBugs).find(([, bug]) => bug.symptom(check, seen))?.[0];
