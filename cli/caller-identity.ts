/**
 * Who is running the command, as STS GetCallerIdentity names them (the ARN recorded as an
 * override's `setBy`), with the same credential chain as the command's other clients. The SDK is
 * loaded at the call, like every AWS client of the command line.
 */
export class CallerIdentityError extends Error {
  override name = 'CallerIdentityError';
}

export async function callerArn(region: string): Promise<string> {
  const { GetCallerIdentityCommand, STSClient } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  let arn: string | undefined;
  try {
    arn = (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Arn;
  } catch (error) {
    const { name, message } = error as Error;
    throw new CallerIdentityError(`STS GetCallerIdentity failed: ${name}: ${message}`);
  }
  if (!arn) throw new CallerIdentityError('STS GetCallerIdentity failed: no caller ARN in the answer');
  return arn;
}
