import { EKS_TOKEN_PREFIX, eksToken } from '../../../lambdas/region-ops/eks-token';

describe('eksToken', () => {
  const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' };

  it('is a base64url presigned STS GetCallerIdentity URL in the cluster region, signing the cluster name header', async () => {
    const token = await eksToken('kubecdn-eu-west-1', 'eu-west-1', credentials, new Date(Date.UTC(2026, 0, 5, 9, 0, 0)));
    expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    const encoded = token.slice(EKS_TOKEN_PREFIX.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url without padding
    const url = new URL(Buffer.from(encoded, 'base64url').toString());
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toBe('AKIAEXAMPLE/20260105/eu-west-1/sts/aws4_request');
    expect(q.get('X-Amz-Date')).toBe('20260105T090000Z');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(q.get('X-Amz-Security-Token')).toBe('session');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs the cluster name: another cluster gets another signature', async () => {
    const at = new Date(Date.UTC(2026, 0, 5, 9, 0, 0));
    const a = await eksToken('kubecdn-eu-west-1', 'eu-west-1', credentials, at);
    const b = await eksToken('kubecdn-eu-west-2', 'eu-west-1', credentials, at);
    expect(a).not.toBe(b);
  });
});
