import fc from 'fast-check';
import { nearestRegion } from '../../../core/demand/nearest-region';
import { formatAddress, MAX_ADDRESS } from '../../../core/geo/ip-address';
import { GeoRow } from '../../../core/geo/mmdb';
import { buildRegionTable, regionForAddress } from '../../../core/geo/region-table';
import { decodeRegionTable, encodeRegionTable } from '../../../core/geo/region-table-codec';
import { AWS_REGION_CODES } from '../../../core/regions';

const address = fc.bigInt({ min: 0n, max: MAX_ADDRESS });
// Half the boundaries in the IPv4-mapped block, so IPv4 text lookups are exercised as often as IPv6.
const boundary = fc.oneof(address, fc.bigInt({ min: 0xffff00000000n, max: 0xffffffffffffn }));
const place = fc.option(
  fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }),
  {
    freq: 5,
  },
);

/** Non-overlapping rows from sorted distinct boundaries: pairs become rows, some dropped to leave gaps. */
const rowsArbitrary = fc
  .tuple(
    fc.uniqueArray(boundary, { minLength: 2, maxLength: 40 }),
    fc.array(fc.tuple(place, fc.boolean()), { minLength: 20, maxLength: 20 }),
  )
  .map(([points, places]) => {
    const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rows: GeoRow[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      const [where, keep] = places[(i / 2) % places.length]!;
      if (!keep) continue;
      const [first, last] = [sorted[i]!, sorted[i + 1]!];
      rows.push(where === null ? { first, last } : { first, last, ...where });
    }
    return rows;
  });

const regionsArbitrary = fc.shuffledSubarray([...AWS_REGION_CODES], { minLength: 1, maxLength: 8 });

describe('region table lookup (property)', () => {
  it('answers, for any address, the nearest region of the row containing it, or nothing outside rows and for rows without a place', () => {
    fc.assert(
      fc.property(rowsArbitrary, regionsArbitrary, fc.array(address, { maxLength: 10 }), fc.nat(), (rows, regions, probes, pick) => {
        const table = decodeRegionTable(encodeRegionTable(buildRegionTable(rows, regions)));
        // Probe both ends of a row as well as random addresses, where merging mistakes show.
        const row = rows[pick % Math.max(1, rows.length)];
        const candidates =
          row === undefined
            ? probes
            : [...probes, row.first, row.last, row.last + 1n, row.first - 1n].filter((a) => a >= 0n && a <= MAX_ADDRESS);
        for (const position of candidates) {
          const containing = rows.find((r) => r.first <= position && position <= r.last);
          const expected =
            containing?.latitude === undefined || containing.longitude === undefined
              ? undefined
              : nearestRegion({ latitude: containing.latitude, longitude: containing.longitude }, regions);
          expect(regionForAddress(table, formatAddress(position))).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
