/**
 * A middy middleware that validates the event with zod before the handler sees it. It takes any
 * zod schema, classic or zod/mini (a handler whose event is small uses zod/mini, which keeps the
 * full library out of its bundle), and parses through zod's core so it loads no more than that.
 */
import type middy from '@middy/core';
import { type $ZodError, type $ZodType, safeParse } from 'zod/v4/core';
import { jsonPath } from '../../core/config/errors';
import { InvalidInputError } from './errors';

/** Formats zod issues as `$.path: message; ...` so the failure cause names each field. */
export function describeIssues(error: $ZodError): string {
  return error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`).join('; ');
}

export function validatedEvent<S extends $ZodType>(schema: S): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const parsed = safeParse(schema, request.event);
      if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error));
      request.event = parsed.data;
    },
  };
}
