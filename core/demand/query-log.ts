/**
 * Route 53 public-zone query log lines, and turning a batch of them into per-minute demand per
 * configured region. A line looks like
 *   1.0 2017-12-13T08:15:50.235Z Z123412341234 cdn.example.com A NOERROR UDP FRA6 192.0.2.1 -
 * (version, time, zone, query name, type, response code, protocol, edge location, resolver IP,
 * EDNS client subnet).
 */
import { edgeLocationCoordinates } from './edge-locations';
import { nearestRegion } from './nearest-region';

export interface QueryLogEntry {
  readonly timestamp: number; // epoch ms
  readonly queryName: string; // lower case, no trailing dot
  readonly queryType: string;
  readonly edgeLocation: string;
}

/** Undefined for anything that is not a well-formed query log line. */
export function parseQueryLogLine(line: string): QueryLogEntry | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 8) return undefined;
  const [, time, , name, type, , , edge] = fields as [string, string, string, string, string, string, string, string];
  const timestamp = Date.parse(time);
  if (Number.isNaN(timestamp)) return undefined;
  return { timestamp, queryName: name.toLowerCase().replace(/\.$/, ''), queryType: type.toUpperCase(), edgeLocation: edge };
}

/**
 * The autoscaler looks up `kubecdn-heartbeat-<epoch seconds>.<domain>` every tick. The name is new
 * each time, so no resolver has it cached and the query reaches Route 53 and its query log. A
 * minute holding a heartbeat is a minute in which the log pipeline worked, so every region gets a
 * value in it (0 when nobody asked): quiet reads as quiet even when the whole CDN is idle, and
 * missing means the pipeline is broken.
 */
export const HEARTBEAT_LABEL = 'kubecdn-heartbeat';

export function heartbeatName(domainName: string, epochMs: number): string {
  return `${HEARTBEAT_LABEL}-${Math.floor(epochMs / 1000)}.${domainName.toLowerCase().replace(/\.$/, '')}`;
}

export interface DemandCountOptions {
  /** The CDN name; queries for it and names under it count. */
  readonly domainName: string;
  readonly regions: readonly string[];
}

export interface MinuteDemand {
  readonly minute: number; // epoch ms at the start of the minute
  /** Every configured region, with 0 where no query was attributed to it in this minute. */
  readonly perRegion: Readonly<Record<string, number>>;
  readonly unattributed: number;
  /** Edge location codes (first three letters) that had no known position, for the operator to add. */
  readonly unknownEdges: readonly string[];
}

/**
 * Counts A queries per minute per nearest configured region. A queries only: a dual-stack
 * client also asks for AAAA (and some for HTTPS), and counting every type would count one
 * viewer lookup two or three times.
 *
 * Each minute that holds at least one query (a viewer's or the autoscaler's heartbeat) gets a
 * value for every region, 0 included, so a quiet region reads as quiet rather than missing. A
 * minute with no query at all produces nothing: "no logs arrived" must read as missing, and
 * missing data never stops a region.
 */
export function countDemandByMinute(lines: Iterable<string>, options: DemandCountOptions): MinuteDemand[] {
  const domain = options.domainName.toLowerCase().replace(/\.$/, '');
  const nearestByEdgeCode = new Map<string, string | undefined>();
  const minutes = new Map<number, { perRegion: Record<string, number>; unattributed: number; unknownEdges: Set<string> }>();
  for (const line of lines) {
    const entry = parseQueryLogLine(line);
    if (!entry || entry.queryType !== 'A') continue;
    if (entry.queryName !== domain && !entry.queryName.endsWith(`.${domain}`)) continue;
    const minute = Math.floor(entry.timestamp / 60_000) * 60_000;
    let bucket = minutes.get(minute);
    if (!bucket) {
      bucket = { perRegion: Object.fromEntries(options.regions.map((r) => [r, 0])), unattributed: 0, unknownEdges: new Set() };
      minutes.set(minute, bucket);
    }
    if (entry.queryName.startsWith(`${HEARTBEAT_LABEL}-`)) continue; // marks the minute as seen; no viewer asked
    const edgeCode = entry.edgeLocation.slice(0, 3).toUpperCase();
    if (!nearestByEdgeCode.has(edgeCode)) {
      const where = edgeLocationCoordinates(edgeCode);
      nearestByEdgeCode.set(edgeCode, where && nearestRegion(where, options.regions));
    }
    const region = nearestByEdgeCode.get(edgeCode);
    if (region === undefined) {
      bucket.unattributed += 1;
      bucket.unknownEdges.add(edgeCode);
    } else bucket.perRegion[region] = (bucket.perRegion[region] ?? 0) + 1;
  }
  return [...minutes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, b]) => ({ minute, perRegion: b.perRegion, unattributed: b.unattributed, unknownEdges: [...b.unknownEdges].sort() }));
}
