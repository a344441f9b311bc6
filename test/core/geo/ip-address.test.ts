import { formatAddress, MAX_ADDRESS, parseIpAddress } from '../../../core/geo/ip-address';

describe('IP address positions', () => {
  it('places IPv4 at its IPv4-mapped IPv6 position, so both spellings are one address', () => {
    expect(parseIpAddress('8.8.8.8')).toBe(0xffff08080808n);
    expect(parseIpAddress('::ffff:8.8.8.8')).toBe(parseIpAddress('8.8.8.8'));
    expect(parseIpAddress('::FFFF:0808:0808')).toBe(parseIpAddress('8.8.8.8'));
    expect(parseIpAddress('0.0.0.0')).toBe(0xffff00000000n);
    expect(parseIpAddress('255.255.255.255')).toBe(0xffffffffffffn);
  });

  it('reads the IPv6 text forms: full, compressed anywhere, any case', () => {
    expect(parseIpAddress('::')).toBe(0n);
    expect(parseIpAddress('::1')).toBe(1n);
    expect(parseIpAddress('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(MAX_ADDRESS);
    expect(parseIpAddress('2001:db8::')).toBe(0x20010db8n << 96n);
    expect(parseIpAddress('2001:DB8:0:0:1::2')).toBe((0x20010db8n << 96n) | (1n << 48n) | 2n);
    expect(parseIpAddress('2001:db8:0:0:0:0:0:2')).toBe(parseIpAddress('2001:db8::2'));
    expect(parseIpAddress('1:2:3:4:5:6:7::')).toBe(parseIpAddress('1:2:3:4:5:6:7:0'));
    expect(parseIpAddress('64:ff9b::192.0.2.33')).toBe((0x64ff9bn << 96n) | 0xc0000221n);
  });

  it.each([
    '',
    ' 8.8.8.8',
    '8.8.8',
    '8.8.8.8.8',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-4',
    '1.2.3.4/24',
    ':::',
    '1::2::3',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '1.2.3.4::',
    '::ffff:1.2.3',
    '::1.2.3.4:5',
    '[::1]',
    'fe80::1%eth0',
    'localhost',
  ])('refuses the malformed address %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it('prints positions back as text that parses to the same position', () => {
    for (const text of ['8.8.8.8', '2001:db8::1', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']) {
      const position = parseIpAddress(text)!;
      expect(parseIpAddress(formatAddress(position))).toBe(position);
    }
    expect(formatAddress(parseIpAddress('::ffff:1.2.3.4')!)).toBe('1.2.3.4');
  });
});
