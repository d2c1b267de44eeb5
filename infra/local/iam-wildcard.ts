/**
 * IAM wildcards as in actions, resources and StringLike conditions: `*` any
 * run of characters (none included), `?` any one; everything else literal.
 * Case-sensitive unless asked, as StringLike is (action names are not).
 */
export const wildcardMatches = (pattern: string, value: string, ignoreCase = false): boolean => {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
};
