/**
 * A long run in miniature: a million log lines, spread over 10,000 minutes and 10 viewer regions,
 * streamed through the parser and the aggregator with a flush each minute. What the aggregator
 * holds must stay at the open minutes, and the heap after a full collection must not grow with
 * the lines read. Were flushed minutes kept, 100,000 counter sets (tens of MB) would remain.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AccessLogStream, MinuteAggregator, type EdgeRequest } from '../../../core/edge-metrics';
import { MINUTE_10_00 } from './log-lines';

const LINES = 1_000_000;
const LINES_PER_MINUTE = 100;
const REGIONS = 10;
const WARM_UP_LINES = 100_000;

// A full collection on demand in any node, without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What follows the time in line `i`: viewer 10.0.<region>.x, every 1000th line a hit. */
function tail(i: number): string {
  const hit = i % 1000 === 0;
  return (
    `","viewer":"10.0.${i % REGIONS}.${i % 250}","via":"10.64.0.9","request":"GET /o/${i % 5000} HTTP/1.1",` +
    `"status":"200","bytes":"${1000 + (i % 100)}","bodyBytes":"1000","cache":"${hit ? 'HIT' : 'MISS'}","requestTime":"0.012",` +
    `"upstreamStatus":"${hit ? '' : '200'}","upstreamTime":"${hit ? '' : '0.0' + String(10 + (i % 90))}","host":"cdn.example.com","scheme":"https","userAgent":"load"}`
  );
}

const HEAD = '{"time":"-","msec":"';
/**
 * One minute of the log as bytes (LINES_PER_MINUTE lines, half a second apart) for each of the 10
 * minutes a 1000-line cycle of tails spans, with the seconds left as zeros; `minuteOfLog` writes
 * a minute's seconds into a copy. Text decoded from bytes, as a log tailer reads it, and cheap
 * enough to make a million lines in a test.
 */
const TEMPLATES = Array.from({ length: 1000 / LINES_PER_MINUTE }, (_, m) =>
  Buffer.from(
    Array.from({ length: LINES_PER_MINUTE }, (_, k) => {
      const ms = k * 500;
      return `${HEAD}${'0'.repeat(10)}.${String(ms % 1000).padStart(3, '0')}${tail(m * LINES_PER_MINUTE + k)}\n`;
    }).join(''),
    'latin1',
  ),
);
const SECONDS_AT = TEMPLATES.map((template) => {
  const offsets: number[] = [];
  for (let at = template.indexOf(HEAD); at >= 0; at = template.indexOf(HEAD, at + 1)) offsets.push(at + HEAD.length);
  return offsets;
});

function minuteOfLog(minute: number): string {
  const template = TEMPLATES[minute % TEMPLATES.length]!;
  const offsets = SECONDS_AT[minute % TEMPLATES.length]!;
  const start = MINUTE_10_00 / 1000 + minute * 60;
  for (let k = 0; k < offsets.length; k++) template.write(String(start + Math.floor((k * 500) / 1000)), offsets[k]!, 'latin1');
  return template.toString('latin1');
}

describe('a million lines through the parser and the aggregator', () => {
  it('holds only the open minutes, and the heap does not grow with the lines read', () => {
    const aggregator = new MinuteAggregator((address) => `region-${address.split('.')[2]}`);
    let requests = 0;
    let requestsInRecords = 0;
    let maxOpenEntries = 0;
    let lastMinute = MINUTE_10_00;
    const stream = new AccessLogStream((request: EdgeRequest) => {
      requests++;
      // A new minute begins: flush the ones before the previous (one minute of lateness allowed).
      if (request.timeMs >= lastMinute + 60_000) {
        maxOpenEntries = Math.max(maxOpenEntries, aggregator.openEntries);
        lastMinute = request.timeMs - (request.timeMs % 60_000);
        for (const record of aggregator.flush(lastMinute - 60_000).records) requestsInRecords += record.requests;
      }
      aggregator.add(request);
    });
    let heapAfterWarmUp = 0;
    for (let minute = 0; minute < LINES / LINES_PER_MINUTE; minute++) {
      if (minute * LINES_PER_MINUTE === WARM_UP_LINES) {
        collectGarbage();
        heapAfterWarmUp = process.memoryUsage().heapUsed;
      }
      stream.push(minuteOfLog(minute));
    }
    stream.end();
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - heapAfterWarmUp;
    for (const record of aggregator.flush(Infinity).records) requestsInRecords += record.requests;

    expect([requests, stream.malformed, requestsInRecords]).toEqual([LINES, 0, LINES]);
    // At most the previous minute and the current one, for every region.
    expect(maxOpenEntries).toBeLessThanOrEqual(2 * REGIONS);
    // 900,000 lines after warm-up; a retained byte per line would already be 0.9 MB.
    expect(growth).toBeLessThan(512 * 1024);
    if (process.env.EDGE_METRICS_REPORT) console.log(`heap growth over ${LINES - WARM_UP_LINES} lines: ${growth} bytes`);
  });
});
