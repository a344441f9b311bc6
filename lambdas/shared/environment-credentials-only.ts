/**
 * Stands in, in the Lambda bundles, for the credential providers of the SDK's default chain that
 * a Lambda never reaches (lib/function-factory.ts aliases their packages to this module).
 *
 * Lambda puts the function role's credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and sets no AWS_PROFILE, so the chain's first link,
 * fromEnv, always answers. The links after it (SSO, shared ini files, credential_process, web
 * identity token file) would put 90 to 115 KB of minified code, the SDK's nested STS, SSO and
 * sign-in clients among it, into every bundle, to be compiled at each cold start and never run.
 *
 * Each export keeps the contract of the function it replaces: called with the chain's init, it
 * returns a provider. That provider fails the way a provider that cannot answer does (tryNextLink,
 * as the SDK's CredentialsProviderError), so were the environment ever without credentials the
 * chain would still go on to the container and instance metadata providers, which stay bundled.
 */

const MESSAGE =
  "is not bundled: kubecdn's Lambdas take their credentials from the environment (AWS_ACCESS_KEY_ID, " +
  'AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which Lambda sets from the function role; see lib/function-factory.ts';

/** What the chain hands each provider: only the logger is read here. */
interface ProviderInit {
  readonly logger?: { debug?: (message: string) => void };
}

/** Named and flagged as the SDK's CredentialsProviderError, the error the default chain steps over. */
export class CredentialProviderNotBundledError extends Error {
  override name = 'CredentialsProviderError';
  /** Read by the chain (memoizeChain, chain): move on to the next provider. */
  readonly tryNextLink = true;
}

function notBundled(provider: string) {
  return (init: ProviderInit = {}) =>
    async (): Promise<never> => {
      const message = `${provider} ${MESSAGE}`;
      // As the SDK's provider errors do, so the chain's debug log says why this link was skipped.
      init.logger?.debug?.(`@smithy/property-provider -> ${message}`);
      throw new CredentialProviderNotBundledError(message);
    };
}

/** For @aws-sdk/credential-provider-sso. */
export const fromSSO = notBundled('The SSO credential provider (fromSSO)');
/** For @aws-sdk/credential-provider-ini. */
export const fromIni = notBundled('The shared config file credential provider (fromIni)');
/** For @aws-sdk/credential-provider-process. */
export const fromProcess = notBundled('The credential_process provider (fromProcess)');
/** For @aws-sdk/credential-provider-web-identity. */
export const fromTokenFile = notBundled('The web identity token file provider (fromTokenFile)');
