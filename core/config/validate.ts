/** Turns raw JSON into a KubeCdnConfig, or into every problem found, each with its JSON path. */
import { z } from 'zod';
import { editDistance, suggestRegion } from '../regions';
import { checkAcrossFields } from './cross-field-rules';
import { type ConfigProblem, jsonPath } from './errors';
import { partsOf, type Parts } from './parsed-parts';
import { type ConfigFields, configFieldsSchema, type KubeCdnConfig } from './schema';

export type ValidationResult =
  { readonly ok: true; readonly config: KubeCdnConfig } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Every problem at once: each field's own, and those across fields among the parts that parsed. */
export function validateConfig(raw: unknown): ValidationResult {
  const parsed = configFieldsSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.flatMap(toProblems);
  const parts = parsed.success ? parsed.data : (partsOf(configFieldsSchema, raw) as Parts<ConfigFields>);
  checkAcrossFields(parts, (path, message) => problems.push({ path: jsonPath(path), message }));
  if (parsed.success && problems.length === 0) return { ok: true, config: parsed.data };
  return { ok: false, problems };
}

function toProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(configFieldsSchema, issue.path);
    return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), message: unknownKeyMessage(key, known) }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path: jsonPath(issue.path), message: `is required; ${issue.message.replace(/^Invalid input: /, '')}` }];
  }
  return [{ path: jsonPath(issue.path), message: issue.message }];
}

function unknownKeyMessage(key: string, known: readonly string[] | 'regions'): string {
  if (known === 'regions') {
    const hint = suggestRegion(key);
    return `"${key}" is not an AWS region code; ${hint ? `did you mean "${hint}"?` : 'expected a code such as "eu-west-1"'}`;
  }
  const closest = [...known].sort((a, b) => editDistance(key, a) - editDistance(key, b))[0];
  const hint = closest && editDistance(key.toLowerCase(), closest.toLowerCase()) <= 3 ? `did you mean "${closest}"? ` : '';
  return `unknown field; ${hint}expected one of: ${known.join(', ')}`;
}

/** The fields the schema allows at `path`, or 'regions' where the keys are region codes. */
function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): readonly string[] | 'regions' {
  let node = unwrap(schema);
  for (const segment of path) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') node = unwrap((def.shape as Record<string, z.core.$ZodType>)[String(segment)]!);
    else if (def.type === 'record') node = unwrap(def.valueType as z.core.$ZodType);
    else if (def.type === 'array') node = unwrap(def.element as z.core.$ZodType);
    else return [];
  }
  const def = node._zod.def as unknown as Record<string, unknown>;
  if (def.type === 'record') return 'regions';
  if (def.type === 'object') return Object.keys(def.shape as object);
  return [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let node = schema;
  for (;;) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional' || def.type === 'nullable') && def.innerType) {
      node = def.innerType as z.core.$ZodType;
    } else if (def.type === 'pipe') node = def.in as z.core.$ZodType;
    else return node;
  }
}
