/**
 * aws-sdk-client-mock, with every send through a mocked client checked like a real one: jest
 * maps the package name here (moduleNameMapper), so test code and the simulated AWS keep
 * importing `aws-sdk-client-mock`. mockClient replaces `send` with a sinon stub, which a real
 * client's checks never see; the stub's `invoke` is where each of its calls enters, whatever
 * behaviour a test configured, so the check goes there, and a refused request is rejected
 * like a real send (the configured behaviour does not run). The package's own mockClient is
 * replaced, not wrapped, because AwsStub#reset() calls it to make a fresh stub.
 */
import type * as AwsSdkClientMock from 'aws-sdk-client-mock';
import { checkAwsRequest } from './checked-requests';
import type { CommandLike } from '../simulated-aws/request-shapes';

type MockClient = typeof AwsSdkClientMock.mockClient;
type Invoke = (func: unknown, thisValue: unknown, args: unknown[]) => unknown;

// By file, not by name: the name maps to this module.
const implementation = require('aws-sdk-client-mock/dist/cjs/mockClient.js') as { mockClient: MockClient };
const uncheckedMockClient = implementation.mockClient;

const checkedMockClient: MockClient = (client, options) => {
  const stub = uncheckedMockClient(client, options);
  const send = stub.send as unknown as { invoke: Invoke };
  const invoke = send.invoke;
  send.invoke = function checkedInvoke(this: unknown, func, thisValue, args) {
    try {
      checkAwsRequest(args[0] as CommandLike, 'mocked SDK');
    } catch (error) {
      return Promise.reject(error);
    }
    return invoke.call(this, func, thisValue, args);
  };
  return stub;
};
implementation.mockClient = checkedMockClient;

const real = require('aws-sdk-client-mock/dist/cjs/index.js') as typeof AwsSdkClientMock;

export const mockClient = checkedMockClient;
export const { AwsStub } = real;
export type * from 'aws-sdk-client-mock';
