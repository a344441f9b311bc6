/**
 * Which access-log lines go to CloudWatch Logs: each with probability `rate`, decided line by line
 * (not every n-th, which would follow any periodic pattern in the traffic), and each shipped as
 * nginx wrote it plus `"sampleRate": <rate>`, so a count read from the logs can be scaled back up.
 * Rate 0 ships nothing; rate 1 ships every line.
 */

export class AccessLogSampler {
  constructor(
    readonly rate: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`sample rate must be from 0 to 1, got ${rate}`);
  }

  /** Whether to ship the next line. random() is below 1, so rate 1 always ships and rate 0 never does. */
  take(): boolean {
    return this.rate > 0 && this.random() < this.rate;
  }
}

/**
 * `line` (one JSON object, as the parser accepted it) with the sample rate as its last field.
 * Written into the text rather than parsed and serialised again: the line stays byte for byte
 * what nginx wrote, and a line costs no second parse.
 */
export function withSampleRate(line: string, rate: number): string {
  const text = line.trimEnd();
  if (!text.endsWith('}')) throw new Error('an access-log line is a JSON object');
  const body = text.slice(0, -1).trimEnd();
  return `${body}${body.endsWith('{') ? '' : ','}"sampleRate":${JSON.stringify(rate)}}`;
}
