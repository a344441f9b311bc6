/**
 * Attributes a viewer location to the configured region that would serve it: the nearest one
 * by great-circle distance. Route 53 latency routing measures latency, not distance, but
 * distance is what we can compute offline, and the two agree for all but borderline viewers.
 */
import { regionInfo } from '../regions';

export interface Coordinates {
  readonly latitude: number;
  readonly longitude: number;
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in kilometres (haversine formula). */
export function haversineKm(a: Coordinates, b: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The region among `regions` nearest to `point`; ties go to the region listed first, so the
 * answer is stable. Throws on an empty list: a config always has at least one region.
 */
export function nearestRegion(point: Coordinates, regions: readonly string[]): string {
  let best: string | undefined;
  let bestKm = Infinity;
  for (const region of regions) {
    const km = haversineKm(point, regionInfo(region));
    if (km < bestKm) {
      bestKm = km;
      best = region;
    }
  }
  if (best === undefined) throw new Error('nearestRegion needs at least one region');
  return best;
}
