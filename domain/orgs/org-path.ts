/**
 * An org's path: the ids from the root down to the org, stored as
 * `/org_root/org_a/org_b`. Comparisons work on whole ids, never on string
 * prefixes, so `org_a1` is never mistaken for an ancestor of `org_a10`.
 */
export const OrgPath = {
  ids: (path: string): string[] => path.split('/').filter((segment) => segment !== ''),
  of: (ids: readonly string[]): string => `/${ids.join('/')}`,
  child: (parentPath: string, childId: string): string => `${parentPath}/${childId}`,
  /** The subtree index key: a closing delimiter so a prefix query matches whole ids only. */
  key: (path: string): string => `${path}/`,
  isAncestorOrSelf: (ancestorId: string, path: string): boolean => OrgPath.ids(path).includes(ancestorId),
  /** The channel an org sits under partitions the subtree index; the root and channels key themselves. */
  treeId: (path: string): string => OrgPath.ids(path)[1] ?? 'root',
  depth: (path: string): number => OrgPath.ids(path).length,
  /** `path` with its leading `from` (an ancestor-or-self path) replaced by `to`. */
  rebase: (path: string, from: string, to: string): string => {
    if (path !== from && !path.startsWith(`${from}/`)) throw new Error(`${path} is not under ${from}`);
    return `${to}${path.slice(from.length)}`;
  },
} as const;
