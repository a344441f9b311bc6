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
    const pieces = chunk.split('\n');
    // Every piece but the last ends a line; the first continues the line held from before.
    for (let i = 0; i < pieces.length - 1; i++) {
      if (i > 0 && pieces[i]!.length <= this.maxLineLength) {
        this.line(pieces[i]!); // the common case: a whole line inside the chunk
      } else {
        this.take(pieces[i]!);
        this.finishLine();
      }
    }
    this.take(pieces[pieces.length - 1]!);
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
    const [line, overlong] = [this.partial, this.overlong];
    this.partial = '';
    this.overlong = false;
    if (overlong) this.refuse(`longer than ${this.maxLineLength} characters`);
    else this.line(line);
  }

  private line(text: string): void {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
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
