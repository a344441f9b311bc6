/**
 * The bearer token EKS accepts for its Kubernetes API: a presigned STS GetCallerIdentity URL
 * that names the cluster in a signed `x-k8s-aws-id` header, base64url-encoded with a
 * `k8s-aws-v1.` prefix. This is what `aws eks get-token` prints; doing it here avoids shipping
 * the AWS CLI or a kubeconfig in the Lambda.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
export type CredentialsProvider = Credentials | (() => Promise<Credentials>);

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) from node:crypto, in the shape the signer expects. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** EKS rejects tokens presigned for longer; it also caps their use at 15 minutes. */
const TOKEN_EXPIRY_SECONDS = 60;

export async function eksToken(cluster: string, region: string, credentials: CredentialsProvider, now = new Date()): Promise<string> {
  const hostname = `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: NodeSha256 });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': cluster },
    },
    { expiresIn: TOKEN_EXPIRY_SECONDS, signingDate: now },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return EKS_TOKEN_PREFIX + Buffer.from(`https://${hostname}/?${query}`).toString('base64url');
}
