import { parseIpAddress } from '../../../core/geo/ip-address';
import type { GeoRow } from '../../../core/geo/mmdb';
import { buildRegionTable, regionForAddress, RegionTableError, UNATTRIBUTED } from '../../../core/geo/region-table';
import { EXAMPLE_REGIONS, fixtureRows } from './fixtures/example-data';

describe('address range to nearest region table', () => {
  const table = buildRegionTable(fixtureRows(), EXAMPLE_REGIONS);

  it.each([
    ['3.0.0.1', 'us-east-1'], // Ashburn
    ['3.0.3.255', 'us-east-1'], // Columbus: no Ohio region configured, Virginia is nearest
    ['4.0.200.1', 'us-east-1'], // New York
    ['23.15.255.255', 'us-east-1'], // Chicago
    ['8.8.8.8', 'us-west-2'], // Mountain View: Oregon, not Virginia
    ['8.8.9.1', 'us-west-2'], // Seattle
    ['13.33.0.1', 'us-west-2'], // Los Angeles
    ['31.13.1.1', 'eu-west-1'], // Dublin
    ['81.2.69.160', 'eu-west-1'], // London is nearer Dublin than Frankfurt
    ['62.210.0.1', 'eu-central-1'], // Paris is nearer Frankfurt than Dublin
    ['46.4.0.1', 'eu-central-1'], // Nuremberg
    ['110.50.1.1', 'ap-northeast-1'], // Tokyo
    ['103.21.245.1', 'ap-southeast-1'], // Singapore
    ['1.1.1.1', 'ap-southeast-1'], // Sydney, with no Sydney region configured
    ['117.18.0.1', 'ap-south-1'], // Mumbai
    ['177.1.2.3', 'sa-east-1'], // São Paulo
    ['200.0.0.1', 'sa-east-1'], // Buenos Aires
    ['::ffff:8.8.8.8', 'us-west-2'], // IPv4-mapped IPv6 is the IPv4 address
    ['2001:4860:4860::8888', 'us-east-1'], // Montreal
    ['2a00:1450:4001:80b::200e', 'eu-central-1'], // Frankfurt
    ['2400:cb01:ffff::1', 'ap-northeast-1'], // Osaka
    ['2600:1f00::1', 'us-west-2'], // Portland
    ['2600:1eff:ffff::1', 'us-east-1'], // Ashburn
    ['2406:da00::1', 'ap-south-1'], // Mumbai
    ['2804:14c::1', 'sa-east-1'], // São Paulo
  ])('attributes %s to %s', (address, region) => {
    expect(regionForAddress(table, address)).toBe(region);
  });

  it('splits the US between east and west by the viewer city when both coasts are configured', () => {
    const coasts = buildRegionTable(fixtureRows(), ['us-east-1', 'us-west-1']);
    expect(regionForAddress(coasts, '8.8.8.8')).toBe('us-west-1');
    expect(regionForAddress(coasts, '13.33.0.1')).toBe('us-west-1');
    expect(regionForAddress(coasts, '192.0.3.1')).toBe('us-west-1'); // Denver: nearer California than Virginia
    expect(regionForAddress(coasts, '23.0.0.1')).toBe('us-east-1');
    expect(regionForAddress(coasts, '4.0.0.1')).toBe('us-east-1');
  });

  it.each([
    ['10.0.0.1', 'in no network of the database'],
    ['3.0.4.0', 'just past a network'],
    ['192.0.2.7', 'in a network without coordinates'],
    ['2001:db8::1', 'in an IPv6 network without coordinates'],
    ['::1', 'below every IPv6 network'],
    ['::ffff:10.1.2.3', 'IPv4-mapped, in no network'],
  ])('leaves %s unattributed (%s)', (address) => {
    expect(regionForAddress(table, address)).toBeUndefined();
  });

  it.each(['', 'not-an-address', '8.8.8', '2001:db8:::1', '::ffff:999.1.1.1'])(
    'answers nothing for the malformed address %j',
    (address) => {
      expect(regionForAddress(table, address)).toBeUndefined();
    },
  );

  it('merges adjacent networks with the same nearest region into one range, and keeps gaps apart', () => {
    const at = (address: string): number => table.starts.indexOf(parseIpAddress(address)!);
    // Ashburn 3.0.0.0/24, Ashburn 3.0.1.0/24 and Columbus 3.0.2.0/23 all go to us-east-1: one range.
    expect(at('3.0.0.0')).toBeGreaterThan(0);
    expect(at('3.0.1.0')).toBe(-1);
    expect(at('3.0.2.0')).toBe(-1);
    expect(table.starts[at('3.0.0.0') + 1]).toBe(parseIpAddress('3.0.4.0'));
    expect(table.regionIndexes[at('3.0.4.0')]).toBe(UNATTRIBUTED);
    // With Ohio configured, Columbus is its own range.
    const withOhio = buildRegionTable(fixtureRows(), [...EXAMPLE_REGIONS, 'us-east-2']);
    expect(withOhio.starts).toContain(parseIpAddress('3.0.2.0'));
    expect(regionForAddress(withOhio, '3.0.2.1')).toBe('us-east-2');
  });

  it('never lists two neighbouring entries with the same region, and starts at address 0', () => {
    expect(table.starts[0]).toBe(0n);
    for (let i = 1; i < table.starts.length; i++) {
      expect(table.starts[i]).toBeGreaterThan(table.starts[i - 1]!);
      expect(table.regionIndexes[i]).not.toBe(table.regionIndexes[i - 1]);
    }
  });

  it('accepts rows in any order', () => {
    expect(buildRegionTable([...fixtureRows()].reverse(), EXAMPLE_REGIONS)).toEqual(table);
  });

  it('is wholly unattributed when the database has no rows', () => {
    expect(buildRegionTable([], ['us-east-1'])).toEqual({ regions: ['us-east-1'], starts: [0n], regionIndexes: [UNATTRIBUTED] });
  });

  it('refuses overlapping rows, naming them', () => {
    const rows: GeoRow[] = [
      { first: parseIpAddress('1.0.0.0')!, last: parseIpAddress('1.0.0.255')!, latitude: 0, longitude: 0 },
      { first: parseIpAddress('1.0.0.128')!, last: parseIpAddress('1.0.1.0')!, latitude: 0, longitude: 0 },
    ];
    expect(() => buildRegionTable(rows, ['us-east-1'])).toThrow(/row 1\.0\.0\.128–1\.0\.1\.0 overlaps/);
  });

  it('refuses a row whose last address is before its first', () => {
    expect(() => buildRegionTable([{ first: 5n, last: 4n }], ['us-east-1'])).toThrow(/not a valid address range/);
  });

  it('refuses an empty or repeated region list', () => {
    expect(() => buildRegionTable([], [])).toThrow(RegionTableError);
    expect(() => buildRegionTable([], ['us-east-1', 'us-east-1'])).toThrow(/listed more than once/);
  });
});
