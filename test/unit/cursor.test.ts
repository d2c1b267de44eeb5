import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, useCursorKey } from '#domain/shared/cursor';
import { ValidationError } from '#domain/shared/errors';

useCursorKey('unit-test-key');

describe('cursors', () => {
  it('round-trips for the list it was made for', () => {
    const cursor = encodeCursor({ k: 'abc' }, 'children|org_a');
    expect(decodeCursor(cursor, 'children|org_a')).toEqual({ k: 'abc' });
  });

  it('refuses a cursor from another list (another tenant)', () => {
    const cursor = encodeCursor({ k: 'abc' }, 'children|org_a');
    expect(() => decodeCursor(cursor, 'children|org_b')).toThrow(ValidationError);
  });

  it('refuses an edited payload', () => {
    const cursor = encodeCursor({ k: 'abc' }, 'x');
    const [, signature] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: 'evil' })).toString('base64url')}.${signature}`;
    expect(() => decodeCursor(forged, 'x')).toThrow(ValidationError);
  });

  it.each(['', 'garbage', 'a.b.c', '.', '%%%.###'])('refuses %j', (value) => {
    expect(() => decodeCursor(value, 'x')).toThrow(ValidationError);
  });
});
