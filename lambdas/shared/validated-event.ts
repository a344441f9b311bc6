/** A middy middleware that validates the event with zod before the handler sees it. */
import type middy from '@middy/core';
import type { z } from 'zod';
import { jsonPath } from '../../core/config/errors';
import { InvalidInputError } from './errors';

/** Formats zod issues as `$.path: message; ...` so the failure cause names each field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`).join('; ');
}

export function validatedEvent<S extends z.ZodType>(schema: S): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error));
      request.event = parsed.data;
    },
  };
}
