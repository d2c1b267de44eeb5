import { describe, expect, it } from 'vitest';
import { isId, newId } from '#domain/shared/ids';

describe('ids', () => {
  it('are prefixed, lower-case and sortable by creation time', () => {
    const first = newId('org', 1_700_000_000_000);
    const second = newId('org', 1_700_000_000_001);
    expect(isId('org', first)).toBe(true);
    expect(first < second).toBe(true);
  });

  it('reject the wrong prefix and odd characters', () => {
    expect(isId('org', 'usr_abc')).toBe(false);
    expect(isId('org', 'org_ABC')).toBe(false);
    expect(isId('org', 'org_a/b')).toBe(false);
    expect(isId('org', 'org_')).toBe(false);
  });
});
