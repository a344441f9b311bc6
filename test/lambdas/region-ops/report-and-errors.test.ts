import { asWorkflowError } from '../../../lambdas/region-ops/errors';
import { buildReport, readableCause } from '../../../lambdas/region-ops/report';

describe('the operations report', () => {
  it('says what happened, where, how long it took, why, and what failed', () => {
    const report = buildReport(
      {
        operation: 'start',
        outcome: 'rolled back',
        region: 'eu-west-1',
        reason: 'demand 4200/min',
        startedAtEpochMs: 0,
        failure: {
          Error: 'ClusterFailed',
          Cause: JSON.stringify({ errorType: 'X', errorMessage: 'clusterStatus: EKS reports the cluster FAILED', trace: [] }),
        },
        details: {},
      },
      754_000,
    );
    expect(report.subject).toBe('kubecdn StartRegion eu-west-1 rolled back');
    expect(report.message).toBe(
      'StartRegion eu-west-1: rolled back after 12 min 34 s.\nReason: demand 4200/min\nFailed with ClusterFailed: clusterStatus: EKS reports the cluster FAILED',
    );
  });

  it('passes a plain cause through', () => {
    expect(readableCause('the cluster did not become ACTIVE within 30 minutes')).toBe(
      'the cluster did not become ACTIVE within 30 minutes',
    );
  });
});

describe('asWorkflowError', () => {
  it.each([
    [{ name: 'ThrottlingException' }],
    [{ name: 'Throttling' }],
    [{ name: 'PriorRequestNotComplete' }],
    [{ name: 'ServiceUnavailableException', $fault: 'server' }],
    [{ name: 'Anything', $metadata: { httpStatusCode: 503 } }],
  ])('makes %o retryable by the state machine', (fields) => {
    const error = asWorkflowError(Object.assign(new Error('boom'), fields)) as Error;
    expect(error.name).toBe('Retryable');
    expect(error.message).toBe(`${fields.name}: boom`);
  });

  it.each(['ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE'])(
    'makes the socket error %s retryable, naming the code',
    (code) => {
      const error = asWorkflowError(Object.assign(new Error('applyWorkload: socket hang up'), { code })) as Error;
      expect(error.name).toBe('Retryable');
      expect(error.message).toBe(`Error ${code}: applyWorkload: socket hang up`);
    },
  );

  it('makes the SDK timeout and networking errors retryable', () => {
    expect(asWorkflowError(Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' }))).toMatchObject({
      name: 'Retryable',
      message: 'TimeoutError: Connection timed out after 3000 ms',
    });
  });

  it.each([
    ['AccessDeniedException', 403],
    ['ValidationException', 400],
  ])('leaves %s alone', (name, status) => {
    const error = Object.assign(new Error('no'), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
    expect(asWorkflowError(error)).toBe(error);
  });

  it('leaves client errors alone, so they fail the step (and roll back a start)', () => {
    const error = Object.assign(new Error('Cluster limit exceeded'), {
      name: 'ResourceLimitExceededException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(asWorkflowError(error)).toBe(error);
  });
});
