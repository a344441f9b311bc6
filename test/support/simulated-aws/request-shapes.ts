/**
 * Checks a command's input against the shape the real SDK command accepts, read from the
 * command's own Smithy schema (the operation schema every SDK v3 command carries) and, for enums,
 * which those schemas type as plain strings, from the package's type declarations (sdk-enums.ts).
 * A misspelled or unknown member at any depth, a missing required one, a wrong type, a list where
 * a map belongs, a value outside an enum, or a union with other than exactly one member set fails
 * the request, so no test can pass on a request real AWS would reject as malformed.
 *
 * Not checked: length, pattern and range constraints. The JS schemas carry no such traits (their
 * traits are only protocol bindings: httpLabel, httpQuery, xmlName, error...), so the installed
 * packages hold nothing to check them against.
 */
import { serviceEnums, type EnumConstraint } from './sdk-enums';

type Schema = unknown;

// Smithy simple-schema codes (see SCHEMA in @smithy/core/schema).
const STRING = 0;
const NUMERIC = 1;
const BOOLEAN = 2;
const TIMESTAMPS = [4, 5, 6, 7];
const DOCUMENT = 15;
const BIG_NUMBERS = [17, 19];
const BLOBS = [21, 42];
const LIST_MODIFIER = 64;
const MAP_MODIFIER = 128;
// Aggregate schema kinds: [kind, namespace, name, traits, ...].
const SIMPLE = 0;
const LIST = 1;
const MAP = 2;
const STRUCTURE = 3;
const ERROR = -3;
const UNION = 4;
const OPERATION = 9;

function resolve(schema: Schema): Schema {
  let s = schema;
  while (typeof s === 'function') s = (s as () => Schema)();
  return s;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (value instanceof Date) return 'a Date';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'a map' : typeof value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

interface Context {
  readonly path: string;
  readonly problems: string[];
  /** Enum constraint from the type declarations, for the value at this path. */
  readonly enums?: EnumConstraint;
}

const at = (context: Context, path: string, enums?: EnumConstraint): Context => ({ path, problems: context.problems, enums });

function checkEnum(value: string | number, context: Context): void {
  const constraint = context.enums;
  if (!constraint || !('enum' in constraint)) return;
  if (!constraint.values.includes(value))
    context.problems.push(
      `${context.path}: ${JSON.stringify(value)} is not a value of ${constraint.enum} (${constraint.values.map((v) => JSON.stringify(v)).join(', ')})`,
    );
}

function checkList(value: unknown, item: Schema, name: string, context: Context): void {
  if (!Array.isArray(value)) {
    context.problems.push(`${context.path}: must be a list${name}, got ${describe(value)}`);
    return;
  }
  const enums = context.enums && 'list' in context.enums ? context.enums.list : undefined;
  value.forEach((v, i) => check(v, item, at(context, `${context.path}[${i}]`, enums)));
}

function checkMap(value: unknown, key: Schema, item: Schema, name: string, context: Context): void {
  if (!isMap(value)) {
    context.problems.push(`${context.path}: must be a map${name}, got ${describe(value)}`);
    return;
  }
  const enums = context.enums && 'map' in context.enums ? context.enums.map : undefined;
  for (const [k, v] of Object.entries(value)) {
    check(k, key, at(context, `${context.path} key ${JSON.stringify(k)}`, enums?.key));
    check(v, item, at(context, `${context.path}.${k}`, enums?.value));
  }
}

function checkSimple(value: unknown, code: number, context: Context): void {
  if (code & LIST_MODIFIER) return checkList(value, code & ~LIST_MODIFIER, '', context);
  if (code & MAP_MODIFIER) return checkMap(value, STRING, code & ~MAP_MODIFIER, '', context);
  let expected: string | undefined;
  if (code === STRING) {
    if (typeof value === 'string') return checkEnum(value, context);
    expected = 'a string';
  } else if (code === NUMERIC) {
    if (typeof value === 'number') return checkEnum(value, context);
    expected = 'a number';
  } else if (code === BOOLEAN) {
    if (typeof value === 'boolean') return;
    expected = 'a boolean';
  } else if (TIMESTAMPS.includes(code)) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return;
    expected = 'a timestamp (a valid Date)';
  } else if (BLOBS.includes(code)) {
    if (typeof value === 'string' || value instanceof Uint8Array) return;
    expected = 'a blob (bytes or a string)';
  } else if (BIG_NUMBERS.includes(code)) {
    if (typeof value === 'number' || typeof value === 'bigint') return;
    expected = 'a number';
  } else if (code === DOCUMENT) {
    return;
  } else {
    context.problems.push(`${context.path}: the checker does not know schema code ${code}`);
    return;
  }
  context.problems.push(`${context.path}: must be ${expected}, got ${describe(value)}`);
}

function checkStructure(value: unknown, schema: unknown[], context: Context): void {
  const [kind, namespace, name] = schema as [number, string, string];
  const names = schema[4] as string[];
  const members = schema[5] as Schema[];
  const required = kind === UNION ? 0 : typeof schema[6] === 'number' ? schema[6] : 0;
  if (!isMap(value)) {
    context.problems.push(`${context.path}: must be a structure (${name}), got ${describe(value)}`);
    return;
  }
  const enums = serviceEnums(namespace);
  const set: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    // The SDK's serializers drop undefined and null members: AWS never sees them.
    if (item === undefined || item === null) continue;
    const index = names.indexOf(key);
    if (index < 0) {
      context.problems.push(`${context.path}.${key}: not a member of ${name} (members: ${names.join(', ')})`);
      continue;
    }
    set.push(key);
    check(item, members[index], at(context, `${context.path}.${key}`, enums.member(name, key)));
  }
  for (const member of names.slice(0, required)) {
    if (value[member] === undefined || value[member] === null) context.problems.push(`${context.path}.${member}: required by ${name}`);
  }
  if (kind === UNION && set.length !== 1)
    context.problems.push(
      `${context.path}: ${name} is a union: exactly one of ${names.join(', ')} must be set, got ${set.length === 0 ? 'none' : set.join(', ')}`,
    );
}

function check(value: unknown, rawSchema: Schema, context: Context): void {
  const schema = resolve(rawSchema);
  if (typeof schema === 'number') return checkSimple(value, schema, context);
  if (!Array.isArray(schema)) {
    context.problems.push(`${context.path}: the checker does not know schema ${String(schema)}`);
    return;
  }
  // A member with traits: [schema, traits].
  if (typeof schema[1] !== 'string') return check(value, schema[0], context);
  const kind = schema[0] as number;
  const name = ` (${String(schema[2])})`;
  if (kind === STRUCTURE || kind === ERROR || kind === UNION) return checkStructure(value, schema, context);
  if (kind === LIST) return checkList(value, schema[4], name, context);
  if (kind === MAP) return checkMap(value, schema[4], schema[5], name, context);
  if (kind === SIMPLE) return check(value, schema[4], context);
  context.problems.push(`${context.path}: the checker does not know schema kind ${kind}`);
}

/** An SDK v3 command as the mocks see it: input plus the operation schema `[9, ns, name, traits, input, output]`. */
export interface CommandLike {
  readonly input: unknown;
  readonly schema?: unknown;
}

/** The operation a command calls, e.g. PutItem; undefined when it carries no operation schema. */
export function operationName(command: CommandLike): string | undefined {
  const operation = resolve(command.schema);
  return Array.isArray(operation) && operation[0] === OPERATION ? String(operation[2]) : undefined;
}

/** Problems with a command's input, each as `<Operation>$.path: what is wrong`; empty when the real service accepts its shape. */
export function requestShapeProblems(command: CommandLike): string[] {
  const operation = resolve(command.schema);
  if (!Array.isArray(operation) || operation[0] !== OPERATION)
    return [`${command.constructor.name}: the command carries no operation schema; its request cannot be checked`];
  const problems: string[] = [];
  check(command.input ?? {}, operation[4], { path: `${String(operation[2])}$`, problems });
  return problems;
}
