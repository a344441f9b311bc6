/**
 * What of a config parsed when the whole did not: rules across fields still run over those parts,
 * so one bad field does not hide the other problems in the file. zod runs an object's refinements
 * only when every field parses; this parses field by field instead.
 */
import type { z } from 'zod';

/** Where the input failed its own field rules (those problems are reported already). */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

/**
 * A value as far as it parsed: objects with each property parsed (defaults filled) or INVALID,
 * arrays with each element so (indices kept), records with the entries whose keys are valid.
 */
export type Parts<T> = Invalid | (T extends readonly (infer E)[] ? Parts<E>[] : T extends object ? { [K in keyof T]: Parts<T[K]> } : T);

export function isValid<T>(part: T): part is Exclude<T, Invalid> {
  return part !== INVALID;
}

/** The valid elements of a list that may itself have failed, with their indices in the file. */
export function validElements<T>(list: Invalid | readonly (T | Invalid)[] | undefined): [T, number][] {
  if (!list || !isValid(list)) return [];
  return list.flatMap((element, index) => (element === INVALID ? [] : [[element, index] as [T, number]]));
}

/** Whether every element of a list parsed: only then is "not in the list" certain. */
export function isComplete<T>(list: Invalid | readonly (T | Invalid)[] | undefined): boolean {
  return list !== undefined && isValid(list) && list.every(isValid);
}

/** `raw` parsed by `schema` part by part; see Parts. */
export function partsOf(schema: z.core.$ZodType, raw: unknown): unknown {
  const whole = (schema as z.ZodType).safeParse(raw);
  if (whole.success) return whole.data;
  const def = withoutDefault(schema)._zod.def as unknown as Record<string, unknown>;
  if (def.type === 'object' && isPlainObject(raw)) {
    const shape = def.shape as Record<string, z.core.$ZodType>;
    return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, partsOf(field, raw[key])]));
  }
  if (def.type === 'array' && Array.isArray(raw)) {
    return raw.map((element: unknown) => partsOf(def.element as z.core.$ZodType, element));
  }
  if (def.type === 'record' && isPlainObject(raw)) {
    const keyType = def.keyType as z.ZodType;
    return Object.fromEntries(
      Object.entries(raw)
        .filter(([key]) => keyType.safeParse(key).success)
        .map(([key, value]) => [key, partsOf(def.valueType as z.core.$ZodType, value)]),
    );
  }
  return INVALID;
}

function withoutDefault(schema: z.core.$ZodType): z.core.$ZodType {
  let node = schema;
  for (;;) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (!['default', 'prefault', 'optional', 'nullable'].includes(def.type as string) || !def.innerType) return node;
    node = def.innerType as z.core.$ZodType;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
