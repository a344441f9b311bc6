import { buildRegionTable, RegionTable, UNATTRIBUTED } from '../../../core/geo/region-table';
import { decodeRegionTable, encodeRegionTable } from '../../../core/geo/region-table-codec';
import { EXAMPLE_REGIONS, fixtureRows } from './fixtures/example-data';

const fixtureTable = (): RegionTable => buildRegionTable(fixtureRows(), EXAMPLE_REGIONS);

const tiny: RegionTable = {
  regions: ['us-east-1', 'eu-west-1'],
  starts: [0n, 0xffff01000000n, 0xffff01000100n, 1n << 127n],
  regionIndexes: [UNATTRIBUTED, 1, 0, UNATTRIBUTED],
};

describe('region table encoding', () => {
  it('reads back exactly the table it wrote', () => {
    const table = fixtureTable();
    expect(decodeRegionTable(encodeRegionTable(table))).toEqual(table);
    expect(decodeRegionTable(encodeRegionTable(tiny))).toEqual(tiny);
  });

  it('spends a few bytes per range, even on IPv6 ranges far apart', () => {
    const table = fixtureTable();
    const header = 8 + 1 + EXAMPLE_REGIONS.reduce((n, r) => n + 1 + r.length, 0) + 1;
    expect(encodeRegionTable(table).length - header).toBeLessThan(table.starts.length * 6);
  });

  it('refuses bytes of another format', () => {
    expect(() => decodeRegionTable(new TextEncoder().encode('KCDNGEO9\x01'))).toThrow(/format marker is "KCDNGEO9"/);
  });

  it('refuses a table cut short, naming where', () => {
    const bytes = encodeRegionTable(tiny);
    expect(() => decodeRegionTable(bytes.subarray(0, bytes.length - 1))).toThrow(/ends inside the entry 3 start/);
    expect(() => decodeRegionTable(bytes.subarray(0, 12))).toThrow(/ends inside the region 0 code/);
  });

  it('refuses trailing bytes', () => {
    expect(() => decodeRegionTable(Uint8Array.from([...encodeRegionTable(tiny), 0]))).toThrow(/left over/);
  });

  it('refuses a region number beyond the region list', () => {
    const bytes = encodeRegionTable({ regions: ['us-east-1', 'eu-west-1'], starts: [0n, 1n], regionIndexes: [UNATTRIBUTED, 1] });
    expect(Array.from(bytes.subarray(-3))).toEqual([2, 0, 1]); // the last entry: region 2 (eu-west-1), shift 0, delta 1
    bytes[bytes.length - 3] = 3;
    expect(() => decodeRegionTable(bytes)).toThrow(/entry 1 region 3 \(the table has 2 regions\)/);
  });

  it('refuses a table whose first range does not start at address 0, or whose starts do not ascend', () => {
    expect(() => decodeRegionTable(encodeRegionTable({ ...tiny, starts: [1n, 2n, 3n, 4n] }))).toThrow(/entry 0 start is not 0/);
    expect(() => decodeRegionTable(encodeRegionTable({ ...tiny, starts: [0n, 2n, 2n, 4n] }))).toThrow(/entry 2 start does not follow/);
  });

  it('refuses a start beyond the IPv6 address space', () => {
    expect(() => decodeRegionTable(encodeRegionTable({ ...tiny, starts: [0n, 1n, 2n, 1n << 128n] }))).toThrow(
      /beyond the IPv6 address space/,
    );
  });
});
