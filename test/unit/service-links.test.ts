import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byServiceLink, parseServiceLink, serviceLinkOf } from '#domain/delegation/service-assignment.entity';

const idArb = fc.stringMatching(/^[a-z0-9_]{1,12}$/);

describe('service links', () => {
  it('reads back the service and link it was made from', () => {
    fc.assert(
      fc.property(idArb, idArb, (serviceId, linkId) => {
        expect(parseServiceLink(serviceLinkOf(serviceId, linkId))).toEqual({ serviceId, linkId });
      }),
    );
  });

  it('orders by service id first, even when one id is a prefix of another', () => {
    const links = ['svc_s1:lnk_a', 'svc_s:lnk_b', 'svc_s:lnk_a', 'svc_s10:lnk_0'];
    expect([...links].sort(byServiceLink)).toEqual(['svc_s:lnk_a', 'svc_s:lnk_b', 'svc_s1:lnk_a', 'svc_s10:lnk_0']);
  });

  it('agrees with ordering the (service, link) pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(idArb, idArb)), (pairs) => {
        const byPair = [...pairs].sort(([s1, l1], [s2, l2]) => (s1 !== s2 ? (s1 < s2 ? -1 : 1) : l1 < l2 ? -1 : l1 > l2 ? 1 : 0));
        const sorted = pairs.map(([s, l]) => serviceLinkOf(s, l)).sort(byServiceLink);
        expect(sorted).toEqual(byPair.map(([s, l]) => serviceLinkOf(s, l)));
      }),
    );
  });
});
