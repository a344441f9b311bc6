/** Reads and parses a trace file; the only trace code that touches the file system. */
import { readFileSync } from 'node:fs';
import { parseTraceCsv } from './parse-trace';
import type { Trace } from './trace';
import { TraceError } from './trace-error';

export function readTraceFile(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new TraceError(file, [{ line: 0, message: `cannot read the trace file: ${reason}` }]);
  }
  return parseTraceCsv(text, file);
}
