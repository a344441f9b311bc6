import { amazonDnsServer, originPlaceholders } from '../../../lambdas/region-ops/edge-origin-placeholders';

describe('the origin placeholders', () => {
  it("put the VPC's DNS server at the base of its CIDR plus two", () => {
    expect(amazonDnsServer('10.64.0.0/16')).toBe('10.64.0.2');
    expect(amazonDnsServer('172.31.0.0/16')).toBe('172.31.0.2');
    expect(amazonDnsServer('192.168.10.16/28')).toBe('192.168.10.18');
    expect(amazonDnsServer('10.0.0.0/8')).toBe('10.0.0.2');
  });

  it('refuse a VPC CIDR that is not one, naming the field', () => {
    expect(() => amazonDnsServer('10.64.0.1/16')).toThrow(/^vpcCidr: .*host bits set/);
    expect(() => amazonDnsServer('10.64.0.0')).toThrow(/^vpcCidr: .*not a CIDR block/);
    expect(() => amazonDnsServer('10.64.0.0/31')).toThrow(/^vpcCidr: .*too small/);
  });

  it('give the origin URL without a trailing slash, its host with the port, and its name alone', () => {
    expect(originPlaceholders('https://origin.example.com/', '10.64.0.0/16')).toEqual({
      ORIGIN_URL: 'https://origin.example.com',
      ORIGIN_HOST: 'origin.example.com',
      ORIGIN_HOSTNAME: 'origin.example.com',
      DNS_RESOLVER: '10.64.0.2',
    });
    expect(originPlaceholders('http://203.0.113.7:8080', '10.1.0.0/16')).toMatchObject({
      ORIGIN_URL: 'http://203.0.113.7:8080',
      ORIGIN_HOST: '203.0.113.7:8080',
      ORIGIN_HOSTNAME: '203.0.113.7',
    });
  });

  it('refuse an origin that is not a URL, naming the field', () => {
    expect(() => originPlaceholders('origin.example.com', '10.64.0.0/16')).toThrow(/^workload\.originUrl: /);
  });
});
