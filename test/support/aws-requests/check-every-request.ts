/**
 * Runs after the test framework is installed in every test file: every AWS SDK send is checked
 * against the service's request shape (real clients here; mocked ones in the aws-sdk-client-mock
 * this project maps to ./aws-sdk-client-mock.ts), and a test during which a request was refused
 * fails, whatever the code under test did with the error. With KUBECDN_REPORT_REQUESTS set, the
 * file's counts go to the run's ledger directory, summed at the end by ./request-count-report.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@smithy/core/client';
import { checkAwsRequest, ledger, takeRefusedRequests } from './checked-requests';
import type { CommandLike } from '../simulated-aws/request-shapes';

type Send = (this: unknown, command: CommandLike, optionsOrCb?: unknown, cb?: unknown) => unknown;
const send = Client.prototype.send as unknown as Send;
(Client.prototype as unknown as { send: Send }).send = function checkedSend(command, optionsOrCb, cb) {
  try {
    checkAwsRequest(command, 'SDK');
  } catch (error) {
    const callback = (typeof optionsOrCb === 'function' ? optionsOrCb : cb) as ((error: unknown) => void) | undefined;
    if (!callback) return Promise.reject(error);
    callback(error);
    return undefined;
  }
  return send.call(this, command, optionsOrCb, cb);
};

let failedBy = 0;
function failOnRefusedRequests(when: string): void {
  const refused = takeRefusedRequests();
  if (refused.length === 0) return;
  failedBy += refused.length;
  throw new Error(`${when}, ${refused.length} AWS request(s) real AWS would reject were made:\n- ${refused.join('\n- ')}`);
}

afterEach(() => failOnRefusedRequests('During this test'));

afterAll(() => {
  const directory = process.env.KUBECDN_REQUEST_LEDGER_DIR;
  try {
    failOnRefusedRequests('Outside any test (in a beforeAll or afterAll hook)');
  } finally {
    if (process.env.KUBECDN_REPORT_REQUESTS && directory) {
      const book = ledger();
      const line = {
        testFile: path.relative(process.cwd(), expect.getState().testPath ?? '?'),
        checked: Object.fromEntries(book.checked),
        refused: book.refused,
        failedTests: failedBy,
      };
      fs.appendFileSync(path.join(directory, `worker-${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
    }
  }
});
