import { edgeLocationCoordinates } from '../../../core/demand/edge-locations';
import { haversineKm, nearestRegion } from '../../../core/demand/nearest-region';
import { regionInfo } from '../../../core/regions';

describe('nearest configured region', () => {
  it('measures great-circle distance (London to New York is about 5,570 km)', () => {
    const km = haversineKm({ latitude: 51.5, longitude: -0.1 }, { latitude: 40.7, longitude: -74.0 });
    expect(km).toBeGreaterThan(5500);
    expect(km).toBeLessThan(5650);
  });

  it('is zero from a point to itself and symmetric', () => {
    const tokyo = regionInfo('ap-northeast-1');
    const sydney = regionInfo('ap-southeast-2');
    expect(haversineKm(tokyo, tokyo)).toBe(0);
    expect(haversineKm(tokyo, sydney)).toBeCloseTo(haversineKm(sydney, tokyo), 9);
  });

  it('attributes a Frankfurt edge to eu-central-1 when configured, and to eu-west-1 when only Ireland and Virginia are', () => {
    const frankfurt = edgeLocationCoordinates('FRA56')!;
    expect(nearestRegion(frankfurt, ['us-east-1', 'eu-west-1', 'eu-central-1'])).toBe('eu-central-1');
    expect(nearestRegion(frankfurt, ['us-east-1', 'eu-west-1'])).toBe('eu-west-1');
  });

  it('crosses the antimeridian correctly (Auckland is nearer Sydney than Los Angeles)', () => {
    expect(nearestRegion(edgeLocationCoordinates('AKL50')!, ['us-west-1', 'ap-southeast-2'])).toBe('ap-southeast-2');
  });

  it('breaks ties in favour of the region listed first', () => {
    const point = regionInfo('eu-west-1');
    expect(nearestRegion(point, ['eu-west-1', 'eu-west-1'])).toBe('eu-west-1');
  });

  it('refuses an empty region list', () => {
    expect(() => nearestRegion({ latitude: 0, longitude: 0 }, [])).toThrow(/at least one region/);
  });

  it('reads edge codes with suffixes and any case, and knows nothing of unknown codes', () => {
    expect(edgeLocationCoordinates('IAD89-C1')).toEqual(edgeLocationCoordinates('iad12'));
    expect(edgeLocationCoordinates('QQQ1')).toBeUndefined();
    expect(edgeLocationCoordinates('')).toBeUndefined();
  });
});
