import { gunzipSync } from 'node:zlib';
import { decodeRegionTable } from '../../core/geo/region-table-codec';
import { benchEdgeRegionTable } from '../../bench/edge-region-table';

describe('edge region table benchmark', () => {
  // On the fixture databases (test/support/synthesis-settings.ts): the real one takes most of a minute.
  const { measurement, gzip } = benchEdgeRegionTable(['us-west-2', 'us-east-1']);

  it('measures the build, the cache read and the decode, and what ships', () => {
    expect(measurement.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(measurement.networks).toBe(34); // the fixture networks of both files
    expect(measurement.entries).toBe(decodeRegionTable(gunzipSync(gzip)).starts.length);
    expect(measurement.gzipBytes).toBe(gzip.length);
    expect(measurement.base64Characters).toBe(gzip.toString('base64').length);
    expect(measurement.parts).toBe(1);
    expect(measurement.largestPartBytes).toBe(gzip.length);
    for (const ms of [measurement.buildMs, measurement.cacheHitMs, measurement.decodeMs]) expect(ms).toBeGreaterThan(0);
  });
});
