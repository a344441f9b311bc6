/**
 * What a region code field says when its value is not an AWS region code, with a "did you mean"
 * hint on a typo. Free of zod, so the config schema (full zod) and the Lambdas' event schemas
 * (zod/mini, which keeps the full library out of their bundles) give the same message.
 */
import { suggestRegion } from '../regions';

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** zod's `error` option for an enum of AWS_REGION_CODES. */
export function regionCodeMessage(issue: { readonly input?: unknown }): string {
  if (issue.input === undefined) return 'is required; expected an AWS region code such as "eu-west-1"';
  if (typeof issue.input !== 'string') return `expected an AWS region code such as "eu-west-1", got ${describe(issue.input)}`;
  const hint = suggestRegion(issue.input);
  return `"${issue.input}" is not an AWS region code; ${hint ? `did you mean "${hint}"?` : 'expected a code such as "eu-west-1"'}`;
}
