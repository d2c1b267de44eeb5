import { looksLikeIpLiteral, parseNetwork } from './network-address.ts';

/**
 * The mail relay a partner's systems hand outbound mail to: a host name or a
 * public IP literal, and an optional port.
 *
 * - A host name is written back in lowercase without a trailing dot. It must
 *   be a fully qualified RFC 1123 name (at least two labels of 1–63 letters,
 *   digits and inner hyphens, 253 characters in all) whose last label is not
 *   all digits (RFC 1123 §2.1: a name never has the dotted-decimal form), and
 *   not under `localhost` (RFC 6761: always loopback). International names
 *   are given in their ASCII form (`xn--…`).
 * - An IP literal follows the address rules of network-address.ts (public,
 *   canonical; IPv6 may come in brackets), without a prefix.
 */
export type ParsedHost = { ok: true; value: string } | { ok: false; reason: string };

const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const maxHostLength = 253;

export const parseSmarthostHost = (input: string): ParsedHost => {
  let text = input.trim().toLowerCase();
  if (text === '') return { ok: false, reason: 'must not be empty' };
  if (/^(?:[^:]+|\[[^\]]*\]):\d*$/.test(text)) return { ok: false, reason: 'the port goes in its own field (`port`)' };
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (looksLikeIpLiteral(text)) {
    if (text.includes('/')) return { ok: false, reason: 'a host, not a CIDR block' };
    const parsed = parseNetwork(text);
    return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, reason: parsed.reason };
  }
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text.length > maxHostLength) return { ok: false, reason: `a host name is at most ${maxHostLength} characters` };
  const labels = text.split('.');
  if (labels.length < 2) return { ok: false, reason: 'must be a fully qualified host name (e.g. smtp.example.com) or an IP address' };
  const bad = labels.find((part) => !label.test(part));
  if (bad !== undefined) {
    return {
      ok: false,
      reason: `"${bad}" is not a host name label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen`,
    };
  }
  const top = labels[labels.length - 1] ?? '';
  if (/^\d+$/.test(top)) return { ok: false, reason: 'the last label of a host name is never all digits' };
  if (top === 'localhost') return { ok: false, reason: 'localhost names are loopback (RFC 6761): only public hosts are allowed' };
  return { ok: true, value: text };
};
