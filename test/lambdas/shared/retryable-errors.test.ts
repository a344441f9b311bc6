import { InvalidInput, NoSuchHealthCheck } from '@aws-sdk/client-route-53';
import { RequestTimeoutError, RetryableError } from '../../../lambdas/shared/errors';
import { isRetryableError, retryableErrorClass } from '../../../lambdas/shared/retryable-errors';

/** An error shaped as the SDK deserializes a service's answer. */
function awsError(name: string, status: number | undefined, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: status !== undefined && status >= 500 ? 'server' : 'client',
    $metadata: status === undefined ? {} : { httpStatusCode: status },
    ...fields,
  });
}

/** An error shaped as Node.js reports a socket or DNS failure. */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code, errno: -1, syscall: 'connect' });
}

describe('retryableErrorClass', () => {
  it.each([
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'PriorRequestNotComplete',
    'SlowDown',
    'ProvisionedThroughputExceededException',
    'LimitExceededException',
  ])('calls %s throttling by its name', (name) => {
    expect(retryableErrorClass(awsError(name, 400))).toBe('throttling');
  });

  it('calls any HTTP 429 throttling, whatever its name', () => {
    expect(retryableErrorClass(awsError('SomethingNew', 429))).toBe('throttling');
  });

  it('calls an error the SDK marks as throttling throttling', () => {
    expect(retryableErrorClass(awsError('SomethingNew', 400, { $retryable: { throttling: true } }))).toBe('throttling');
  });

  it.each([500, 502, 503, 504, 501, 599])('calls HTTP %i a server error', (status) => {
    expect(retryableErrorClass(awsError('Anything', status))).toBe('server');
  });

  it.each(['InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalServerErrorException'])(
    'calls %s a server error even without an HTTP status',
    (name) => {
      expect(retryableErrorClass(Object.assign(new Error('x'), { name }))).toBe('server');
    },
  );

  it.each(['ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EHOSTUNREACH'])(
    'calls the socket error %s a network error',
    (code) => {
      expect(retryableErrorClass(socketError(code))).toBe('network');
    },
  );

  it('finds a socket error wrapped as the cause of another error', () => {
    expect(retryableErrorClass(new Error('fetch failed', { cause: socketError('ECONNRESET') }))).toBe('network');
  });

  it('finds a socket error among the attempts of an AggregateError (every address refused)', () => {
    expect(retryableErrorClass(new AggregateError([socketError('ECONNREFUSED'), socketError('ENETUNREACH')], 'connect failed'))).toBe(
      'network',
    );
  });

  it.each([
    ['the SDK request timeout', Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' })],
    ['a service request timeout', awsError('RequestTimeoutException', 408)],
    ['our Kubernetes client timeout', new RequestTimeoutError('Kubernetes API GET /api/v1/services timed out after 20000 ms')],
  ])('calls %s a timeout', (_what, error) => {
    expect(retryableErrorClass(error)).toBe('timeout');
  });

  it('calls clock skew the SDK corrected retryable, and skew by its unambiguous names', () => {
    expect(retryableErrorClass(awsError('InvalidSignatureException', 403, { $metadata: { clockSkewCorrected: true } }))).toBe('clock skew');
    expect(retryableErrorClass(awsError('RequestTimeTooSkewed', 403))).toBe('clock skew');
  });

  it('calls our own Retryable and the SDK retryable trait transient', () => {
    expect(retryableErrorClass(new RetryableError('not yet'))).toBe('transient');
    expect(retryableErrorClass(awsError('ConcurrentModification', 400, { $retryable: {} }))).toBe('transient');
  });

  it('leaves the Route 53 client exceptions for a bad or missing resource non-retryable', () => {
    expect(isRetryableError(new InvalidInput({ $metadata: { httpStatusCode: 400 }, message: 'bad' }))).toBe(false);
    expect(isRetryableError(new NoSuchHealthCheck({ $metadata: { httpStatusCode: 404 }, message: 'gone' }))).toBe(false);
  });

  it.each([
    ['AccessDenied', 403],
    ['AccessDeniedException', 403],
    ['ValidationException', 400],
    ['ValidationError', 400],
    ['InvalidParameterException', 400],
    ['ResourceNotFoundException', 404],
    ['ResourceLimitExceededException', 400],
    ['SignatureDoesNotMatch', 403],
    ['UnrecognizedClientException', 400],
  ])('leaves %s (HTTP %i) non-retryable', (name, status) => {
    expect(retryableErrorClass(awsError(name, status))).toBeUndefined();
  });

  it('leaves plain errors, refused socket codes and non-errors non-retryable', () => {
    expect(retryableErrorClass(new Error('cannot read property of undefined'))).toBeUndefined();
    expect(retryableErrorClass(socketError('EACCES'))).toBeUndefined();
    expect(retryableErrorClass(socketError('CERT_HAS_EXPIRED'))).toBeUndefined();
    expect(retryableErrorClass('ECONNRESET')).toBeUndefined();
    expect(retryableErrorClass(undefined)).toBeUndefined();
  });
});
