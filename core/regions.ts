/**
 * The AWS commercial regions kubecdn can run an edge in, with where they are.
 *
 * Kept in code (not fetched) so that config validation works offline and in `cdk synth`.
 * The coordinates are the approximate location of each region's metro area; they are used to
 * attribute viewers to their nearest configured region and to place daily cycles in the
 * simulator. The time zone is the region's local civil time.
 */
export interface AwsRegionInfo {
  readonly code: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly timeZone: string;
}

const REGION_LIST: readonly AwsRegionInfo[] = [
  { code: 'us-east-1', name: 'US East (N. Virginia)', latitude: 38.9, longitude: -77.4, timeZone: 'America/New_York' },
  { code: 'us-east-2', name: 'US East (Ohio)', latitude: 40.0, longitude: -83.0, timeZone: 'America/New_York' },
  { code: 'us-west-1', name: 'US West (N. California)', latitude: 37.4, longitude: -121.9, timeZone: 'America/Los_Angeles' },
  { code: 'us-west-2', name: 'US West (Oregon)', latitude: 45.8, longitude: -119.7, timeZone: 'America/Los_Angeles' },
  { code: 'af-south-1', name: 'Africa (Cape Town)', latitude: -33.9, longitude: 18.4, timeZone: 'Africa/Johannesburg' },
  { code: 'ap-east-1', name: 'Asia Pacific (Hong Kong)', latitude: 22.3, longitude: 114.2, timeZone: 'Asia/Hong_Kong' },
  { code: 'ap-east-2', name: 'Asia Pacific (Taipei)', latitude: 25.0, longitude: 121.5, timeZone: 'Asia/Taipei' },
  { code: 'ap-south-1', name: 'Asia Pacific (Mumbai)', latitude: 19.1, longitude: 72.9, timeZone: 'Asia/Kolkata' },
  { code: 'ap-south-2', name: 'Asia Pacific (Hyderabad)', latitude: 17.4, longitude: 78.5, timeZone: 'Asia/Kolkata' },
  { code: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)', latitude: 35.7, longitude: 139.7, timeZone: 'Asia/Tokyo' },
  { code: 'ap-northeast-2', name: 'Asia Pacific (Seoul)', latitude: 37.6, longitude: 127.0, timeZone: 'Asia/Seoul' },
  { code: 'ap-northeast-3', name: 'Asia Pacific (Osaka)', latitude: 34.7, longitude: 135.5, timeZone: 'Asia/Tokyo' },
  { code: 'ap-southeast-1', name: 'Asia Pacific (Singapore)', latitude: 1.3, longitude: 103.8, timeZone: 'Asia/Singapore' },
  { code: 'ap-southeast-2', name: 'Asia Pacific (Sydney)', latitude: -33.9, longitude: 151.2, timeZone: 'Australia/Sydney' },
  { code: 'ap-southeast-3', name: 'Asia Pacific (Jakarta)', latitude: -6.2, longitude: 106.8, timeZone: 'Asia/Jakarta' },
  { code: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)', latitude: -37.8, longitude: 145.0, timeZone: 'Australia/Melbourne' },
  { code: 'ap-southeast-5', name: 'Asia Pacific (Malaysia)', latitude: 3.1, longitude: 101.7, timeZone: 'Asia/Kuala_Lumpur' },
  { code: 'ap-southeast-6', name: 'Asia Pacific (New Zealand)', latitude: -36.8, longitude: 174.8, timeZone: 'Pacific/Auckland' },
  { code: 'ap-southeast-7', name: 'Asia Pacific (Thailand)', latitude: 13.8, longitude: 100.5, timeZone: 'Asia/Bangkok' },
  { code: 'ca-central-1', name: 'Canada (Central)', latitude: 45.5, longitude: -73.6, timeZone: 'America/Toronto' },
  { code: 'ca-west-1', name: 'Canada West (Calgary)', latitude: 51.0, longitude: -114.1, timeZone: 'America/Edmonton' },
  { code: 'eu-central-1', name: 'Europe (Frankfurt)', latitude: 50.1, longitude: 8.7, timeZone: 'Europe/Berlin' },
  { code: 'eu-central-2', name: 'Europe (Zurich)', latitude: 47.4, longitude: 8.5, timeZone: 'Europe/Zurich' },
  { code: 'eu-west-1', name: 'Europe (Ireland)', latitude: 53.3, longitude: -6.3, timeZone: 'Europe/Dublin' },
  { code: 'eu-west-2', name: 'Europe (London)', latitude: 51.5, longitude: -0.1, timeZone: 'Europe/London' },
  { code: 'eu-west-3', name: 'Europe (Paris)', latitude: 48.9, longitude: 2.4, timeZone: 'Europe/Paris' },
  { code: 'eu-south-1', name: 'Europe (Milan)', latitude: 45.5, longitude: 9.2, timeZone: 'Europe/Rome' },
  { code: 'eu-south-2', name: 'Europe (Spain)', latitude: 41.6, longitude: -0.9, timeZone: 'Europe/Madrid' },
  { code: 'eu-north-1', name: 'Europe (Stockholm)', latitude: 59.3, longitude: 18.1, timeZone: 'Europe/Stockholm' },
  { code: 'il-central-1', name: 'Israel (Tel Aviv)', latitude: 32.1, longitude: 34.8, timeZone: 'Asia/Jerusalem' },
  { code: 'me-south-1', name: 'Middle East (Bahrain)', latitude: 26.1, longitude: 50.6, timeZone: 'Asia/Bahrain' },
  { code: 'me-central-1', name: 'Middle East (UAE)', latitude: 25.2, longitude: 55.3, timeZone: 'Asia/Dubai' },
  { code: 'mx-central-1', name: 'Mexico (Central)', latitude: 20.6, longitude: -100.4, timeZone: 'America/Mexico_City' },
  { code: 'sa-east-1', name: 'South America (São Paulo)', latitude: -23.5, longitude: -46.6, timeZone: 'America/Sao_Paulo' },
];

export const AWS_REGIONS: ReadonlyMap<string, AwsRegionInfo> = new Map(REGION_LIST.map((r) => [r.code, r]));

export const AWS_REGION_CODES: readonly string[] = REGION_LIST.map((r) => r.code);

export function isAwsRegion(code: string): boolean {
  return AWS_REGIONS.has(code);
}

export function regionInfo(code: string): AwsRegionInfo {
  const info = AWS_REGIONS.get(code);
  if (!info) throw new Error(`unknown AWS region "${code}"`);
  return info;
}

/** The known region code closest to a mistyped one, for "did you mean" hints; undefined when nothing is close. */
export function suggestRegion(typo: string): string | undefined {
  const needle = typo.trim().toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const code of AWS_REGION_CODES) {
    const d = editDistance(needle, code);
    if (d < bestDistance) {
      bestDistance = d;
      best = code;
    }
  }
  // Beyond a few edits the "suggestion" is noise (e.g. "moon-base-1").
  return bestDistance <= Math.max(2, Math.floor(needle.length / 4)) ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit ("us-esat-1"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}
