/**
 * The one gate every AWS request of a test passes: SDK sends (mocked or not) and the Step
 * Functions service integrations the workflow harness runs. A request real AWS would reject as
 * malformed is refused at the call and also recorded, so the test fails at its end even when the
 * code under test catches the error (a retry loop or a Catch would otherwise hide it).
 */
import { operationName, requestShapeProblems, type CommandLike } from '../simulated-aws/request-shapes';

export class MalformedAwsRequestError extends Error {
  override name = 'MalformedRequest';
}

interface RequestLedger {
  /** Requests checked in this test file, by operation. */
  readonly checked: Map<string, number>;
  /** Requests refused in this test file (also those a test took as expected). */
  refused: number;
  /** Refusals no test has taken yet: each fails the running test. */
  readonly pending: string[];
}

// On the global object, which the setup files and every module registry of one test file share
// (jest.isolateModules gives a module its own copy of this file, not of the global).
const LEDGER = Symbol.for('kubecdn.awsRequestLedger');

export function ledger(): RequestLedger {
  const g = globalThis as { [LEDGER]?: RequestLedger };
  g[LEDGER] ??= { checked: new Map(), refused: 0, pending: [] };
  return g[LEDGER];
}

/**
 * Checks one request; throws MalformedAwsRequestError naming each problem (`<Operation>$.path:
 * what is wrong`) when real AWS would reject it. `via` says how it was made, for the message.
 */
export function checkAwsRequest(command: CommandLike, via: string): void {
  const book = ledger();
  const operation = operationName(command) ?? command.constructor.name;
  book.checked.set(operation, (book.checked.get(operation) ?? 0) + 1);
  const problems = requestShapeProblems(command);
  if (problems.length === 0) return;
  book.refused += 1;
  const message = `${via} request real AWS would reject: ${problems.join('; ')}`;
  book.pending.push(message);
  throw new MalformedAwsRequestError(message);
}

/** The refusals recorded since the last call, which then no longer fail the test: for tests that make bad requests on purpose. */
export function takeRefusedRequests(): string[] {
  return ledger().pending.splice(0);
}
