/**
 * Who is running the command, as STS GetCallerIdentity names them (the ARN recorded as an
 * override's `setBy`). The project carries no STS client package, so the one call is signed here
 * with the signer the SDK itself uses (@smithy/signature-v4) and the credentials the SDK's default
 * chain resolved for the command's other clients; like the SDK, it honours AWS_ENDPOINT_URL_STS
 * and AWS_ENDPOINT_URL. Loaded only by the commands that need it (the SDK parts it pulls in are
 * loaded at the call).
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export class CallerIdentityError extends Error {
  override name = 'CallerIdentityError';
}

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const TIMEOUT_MS = 10_000;

function stsEndpoint(region: string): URL {
  const configured = process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
  if (configured) return new URL(configured);
  return new URL(`https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`);
}

const xmlText = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

export async function callerArn(region: string, credentials: AwsCredentialIdentityProvider): Promise<string> {
  const { SignatureV4 } = require('@smithy/signature-v4') as typeof import('@smithy/signature-v4');
  const { NodeSha256 } = require('../lambdas/region-ops/eks-token') as typeof import('../lambdas/region-ops/eks-token');
  const endpoint = stsEndpoint(region);
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: NodeSha256 });
  const path = endpoint.pathname || '/';
  const signed = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path,
    headers: { host: endpoint.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: BODY,
  });
  // fetch sets Host from the URL itself (the same value that was signed).
  const { host: _signedHost, ...headers } = signed.headers;
  let status: number;
  let text: string;
  try {
    const answer = await fetch(new URL(path, endpoint), {
      method: 'POST',
      headers,
      body: BODY,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = answer.status;
    text = await answer.text();
  } catch (error) {
    throw new CallerIdentityError(`cannot reach STS at ${endpoint.host}: ${(error as Error).message}`);
  }
  const arn = xmlText(text, 'Arn');
  if (status !== 200 || !arn || !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(arn)) {
    const code = xmlText(text, 'Code') ?? `HTTP ${status}`;
    throw new CallerIdentityError(`STS GetCallerIdentity failed: ${code}: ${xmlText(text, 'Message') ?? 'no caller ARN in the answer'}`);
  }
  return arn;
}
