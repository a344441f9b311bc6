/**
 * The access log as it arrives: chunks of text cut anywhere, not lines. Splits them into lines,
 * parses each, and counts the ones that are not requests instead of throwing. Holds at most one
 * unfinished line, and drops one that grows past `maxLineLength` (counted as malformed), so a
 * log without newlines cannot grow the parser's memory.
 */
import { parseAccessLogLine, type EdgeRequest } from './access-log-line';

/** Far beyond a real line (nginx caps the request line at its large header buffers, 8 KiB by default). */
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

export class AccessLogStream {
  private partial = '';
  private overlong = false;
  private malformedLines = 0;
  private lastReason: string | undefined;

  constructor(
    private readonly onRequest: (request: EdgeRequest) => void,
    private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH,
  ) {}

  /** Lines that were not requests, since the start. */
  get malformed(): number {
    return this.malformedLines;
  }

  /** Why the last malformed line was refused (for a log message; undefined when none was). */
  get lastMalformedReason(): string | undefined {
    return this.lastReason;
  }

  /** Feeds the next piece of the log. */
  push(chunk: string): void {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
      this.take(chunk.slice(start, end));
      this.finishLine();
      start = end + 1;
    }
    this.take(chunk.slice(start));
  }

  /** The log ended: a last line without a newline is parsed too. */
  end(): void {
    if (this.partial !== '' || this.overlong) this.finishLine();
  }

  private take(piece: string): void {
    if (this.overlong) return;
    if (this.partial.length + piece.length > this.maxLineLength) {
      this.overlong = true;
      this.partial = '';
      return;
    }
    this.partial += piece;
  }

  private finishLine(): void {
    const line = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    const overlong = this.overlong;
    this.partial = '';
    this.overlong = false;
    if (overlong) return this.refuse(`longer than ${this.maxLineLength} characters`);
    if (line === '') return; // a blank line is no request and no damage
    const parsed = parseAccessLogLine(line);
    if (parsed.ok) this.onRequest(parsed.request);
    else this.refuse(parsed.reason);
  }

  private refuse(reason: string): void {
    this.malformedLines++;
    this.lastReason = reason;
  }
}
