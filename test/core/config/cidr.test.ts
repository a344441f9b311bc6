import { parseIpv4Cidr } from '../../../core/config/cidr';

describe('IPv4 CIDR validation', () => {
  it.each(['0.0.0.0/0', '203.0.113.0/24', '10.64.0.0/16', '198.51.100.7/32'])('accepts %s', (cidr) => {
    expect(parseIpv4Cidr(cidr).problem).toBeUndefined();
  });

  it.each([
    ['203.0.113.0', /is not a CIDR block/],
    ['203.0.113.0/24/1', /is not a CIDR block/],
    ['203.0.113/24', /invalid IPv4 address/],
    ['256.0.0.0/8', /invalid IPv4 address/],
    ['01.2.3.0/24', /invalid IPv4 address/],
    ['10.0.0.0/-1', /invalid prefix length/],
    ['10.0.0.0/33', /invalid prefix length/],
    ['10.1.2.3/8', /host bits set; did you mean "10.0.0.0\/8"\?/],
    ['192.168.1.129/25', /did you mean "192.168.1.128\/25"\?/],
  ])('rejects %s', (cidr, message) => {
    expect(parseIpv4Cidr(cidr).problem).toMatch(message);
  });
});
