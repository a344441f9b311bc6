/**
 * PurgeCache's input: which cached objects to drop in every serving region, either `paths` (each
 * an exact path, or a prefix when it ends in `*`) or `"everything": true`. Validated before any
 * region is touched, with errors that name the field, like workflow-input.ts. Pure.
 *
 * A path is what nginx's cache key holds after the host: it starts at the first "/" and stops
 * before the query. A purge of a path removes every cached variant of it (any host, any query),
 * so a query or fragment in the input could never match anything and is refused rather than
 * silently purging nothing.
 */
import * as z from 'zod/mini';
import { configuredRegions } from '../../core/config/regions-of';
import type { KubeCdnConfig } from '../../core/config/schema';
import { InvalidInputError } from '../shared/errors';
import { describeIssues } from '../shared/validated-event';
import { reasonField } from './workflow-input';

/** How many paths one execution takes: the request travels in one ConfigMap and in every region's state. */
export const MAX_PURGE_PATHS = 100;
/** Longer than any path a CDN serves in practice. */
export const MAX_PURGE_PATH_LENGTH = 1024;
/**
 * All paths of one purge together: the request is carried in the execution's state several times
 * over (the input, each region's item, the report), which Step Functions caps at 256 KiB.
 */
export const MAX_PURGE_REQUEST_CHARACTERS = 16_384;

const EXAMPLE = 'such as {"paths": ["/img/logo.png", "/css/*"]} or {"everything": true}';

/** Control characters, any whitespace, and invisible format characters (a zero-width space would make two paths look alike). */
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\s]/u;

/** The cache request every region's companions act on, as written to the `edge-purge` ConfigMap (less its id). */
export interface PurgeTargets {
  /** Exact paths: every cached key whose path equals one of them. */
  readonly paths: string[];
  /** Path prefixes, the input's `*` dropped: every cached key whose path starts with one of them. */
  readonly prefixes: string[];
  readonly everything: boolean;
}

/** What the PurgeCache state machine reads from `$.input`. */
export interface ValidatedPurgeInput extends PurgeTargets {
  readonly operation: 'purge';
  /** What is purged, for the report's subject (`everything`, `1 path`, `12 paths`): the region workflows name a region there. */
  readonly region: string;
  readonly reason: string;
  /** Every configured region, in config order: each is purged, skipped (not serving) or refused (busy). */
  readonly regions: string[];
  /** The request's time (ISO 8601): pods created after it started with an empty cache and are not waited for. */
  readonly requestedAt: string;
  /** The clock at validation, as every workflow's validated input carries it. */
  readonly nowEpochSeconds: number;
  readonly startedAtEpochMs: number;
}

export interface ValidatePurgeInputOptions {
  readonly nowMs: number;
}

function pathField() {
  return z.string({ error: 'expected a path such as "/img/logo.png" or a prefix such as "/css/*"' }).check(
    z.superRefine((value, ctx) => {
      const problem = pathProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} ${problem}` });
    }),
  );
}

/** Why `value` is not a path or prefix a purge can match, or undefined. */
export function pathProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return 'does not start with "/"; expected a path such as "/img/logo.png" (no scheme or host)';
  if (value.length > MAX_PURGE_PATH_LENGTH) return `is ${value.length} characters long; expected at most ${MAX_PURGE_PATH_LENGTH}`;
  if (FORBIDDEN_CHARACTERS.test(value))
    return 'contains a space, a control character or an invisible format character; expected a path as it appears in a URL (percent-encode such characters)';
  const star = value.indexOf('*');
  if (star !== -1 && star !== value.length - 1)
    return 'has "*" before its end; "*" is only allowed as the last character, where it makes the path a prefix ("/css/*")';
  if (/[?#]/.test(value))
    return 'contains "?" or "#"; expected a path without a query or fragment (a purged path loses every cached query variant)';
  return undefined;
}

function purgeInputSchema() {
  return z
    .strictObject(
      {
        paths: z.optional(
          z.array(pathField(), { error: 'expected a list of paths such as ["/img/logo.png", "/css/*"]' }).check(
            z.minLength(1, { error: 'expected at least one path; to purge every cached object, pass {"everything": true} instead' }),
            z.maxLength(MAX_PURGE_PATHS, {
              error: `expected at most ${MAX_PURGE_PATHS} paths per purge; use prefixes ("/img/*"), "everything": true, or several executions`,
            }),
            z.superRefine((paths, ctx) => {
              const total = paths.reduce((sum, path) => sum + (typeof path === 'string' ? path.length : 0), 0);
              if (total > MAX_PURGE_REQUEST_CHARACTERS)
                ctx.addIssue({
                  code: 'custom',
                  message: `the paths add up to ${total} characters; expected at most ${MAX_PURGE_REQUEST_CHARACTERS} in one purge (use prefixes, or several executions)`,
                });
            }),
          ),
        ),
        everything: z.optional(
          z
            .boolean({ error: 'expected true' })
            .check(z.refine((value) => value, { error: 'expected true, or leave it out and pass "paths"' })),
        ),
        reason: reasonField(),
      },
      {
        error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : `expected a JSON object ${EXAMPLE}`),
      },
    )
    .check(
      z.superRefine((input, ctx) => {
        if (input.paths === undefined && input.everything === undefined)
          ctx.addIssue({ code: 'custom', message: `nothing to purge: expected "paths" or "everything": true, ${EXAMPLE}` });
        if (input.paths !== undefined && input.everything !== undefined)
          ctx.addIssue({
            code: 'custom',
            message: 'expected either "paths" or "everything": true, not both ("everything" already covers every path)',
          });
      }),
    );
}

/** Exact paths and prefixes, each once, in the order given. */
export function purgeTargets(paths: readonly string[] | undefined): PurgeTargets {
  if (paths === undefined) return { paths: [], prefixes: [], everything: true };
  const unique = [...new Set(paths)];
  return {
    paths: unique.filter((p) => !p.endsWith('*')),
    prefixes: unique.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1)),
    everything: false,
  };
}

export function validatePurgeInput(config: KubeCdnConfig, raw: unknown, options: ValidatePurgeInputOptions): ValidatedPurgeInput {
  const parsed = purgeInputSchema().safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`invalid PurgeCache input: ${describeIssues(parsed.error)}`);
  const targets = purgeTargets(parsed.data.paths);
  const count = targets.paths.length + targets.prefixes.length;
  const nowEpochSeconds = Math.floor(options.nowMs / 1000);
  return {
    operation: 'purge',
    region: targets.everything ? 'everything' : `${count} path${count === 1 ? '' : 's'}`,
    reason: parsed.data.reason ?? 'manual purge',
    ...targets,
    regions: configuredRegions(config),
    requestedAt: new Date(options.nowMs).toISOString(),
    nowEpochSeconds,
    startedAtEpochMs: options.nowMs,
  };
}
