/** An AWS region code in the config, with a "did you mean" hint on a typo. Its own file so every config section can use it. */
import { z } from 'zod';
import { AWS_REGION_CODES, suggestRegion } from '../regions';

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export const regionCodeSchema = z.enum(AWS_REGION_CODES as [string, ...string[]], {
  error: (issue) => {
    if (issue.input === undefined) return 'is required; expected an AWS region code such as "eu-west-1"';
    if (typeof issue.input !== 'string') return `expected an AWS region code such as "eu-west-1", got ${describe(issue.input)}`;
    const hint = suggestRegion(issue.input);
    return `"${issue.input}" is not an AWS region code; ${hint ? `did you mean "${hint}"?` : 'expected a code such as "eu-west-1"'}`;
  },
});
