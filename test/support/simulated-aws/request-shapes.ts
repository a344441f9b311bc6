/**
 * Checks a command's input against the shape the real SDK command accepts, read from the
 * command's own Smithy schema (the operation schema every SDK v3 command carries). A misspelled
 * or unknown parameter, a missing required one or a wrong type fails the simulated call, so the
 * simulated AWS cannot accept a request real AWS would reject as malformed.
 */

type Schema = unknown;

// Smithy simple-schema codes (see @smithy/core/schema).
const STRING = 0;
const NUMERIC = 1;
const BOOLEAN = 2;
const TIMESTAMPS = [4, 5, 6, 7];
const DOCUMENT = 15;
const BLOBS = [21, 42];
const LIST_MODIFIER = 64;
const MAP_MODIFIER = 128;

function resolve(schema: Schema): Schema {
  let s = schema;
  while (typeof s === 'function') s = (s as () => Schema)();
  return s;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}

function checkSimple(value: unknown, code: number, path: string, problems: string[]): void {
  if (code & LIST_MODIFIER) {
    if (!Array.isArray(value)) problems.push(`${path}: expected a list, got ${describe(value)}`);
    else value.forEach((item, i) => checkSimple(item, code & ~LIST_MODIFIER, `${path}[${i}]`, problems));
    return;
  }
  if (code & MAP_MODIFIER) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      problems.push(`${path}: expected a map, got ${describe(value)}`);
    else for (const [key, item] of Object.entries(value)) checkSimple(item, code & ~MAP_MODIFIER, `${path}.${key}`, problems);
    return;
  }
  const ok =
    code === STRING
      ? typeof value === 'string'
      : code === NUMERIC
        ? typeof value === 'number'
        : code === BOOLEAN
          ? typeof value === 'boolean'
          : TIMESTAMPS.includes(code)
            ? value instanceof Date || typeof value === 'string' || typeof value === 'number'
            : BLOBS.includes(code)
              ? typeof value === 'string' || value instanceof Uint8Array
              : code === DOCUMENT || true;
  if (!ok)
    problems.push(
      `${path}: expected ${code === STRING ? 'a string' : code === NUMERIC ? 'a number' : code === BOOLEAN ? 'a boolean' : 'a timestamp or blob'}, got ${describe(value)}`,
    );
}

function check(value: unknown, rawSchema: Schema, path: string, problems: string[]): void {
  if (value === undefined) return;
  const schema = resolve(rawSchema);
  if (typeof schema === 'number') return checkSimple(value, schema, path, problems);
  if (!Array.isArray(schema)) return;
  // A member with traits: [schema, traits].
  if (typeof schema[1] !== 'string') return check(value, schema[0], path, problems);
  const [kind] = schema as [number];
  if (kind === 3 || kind === -3 || kind === 4) {
    const names = schema[4] as string[];
    const members = schema[5] as Schema[];
    const required = typeof schema[6] === 'number' ? schema[6] : 0;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path}: expected a structure (${String(schema[2])}), got ${describe(value)}`);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const index = names.indexOf(key);
      if (index < 0) {
        if (item !== undefined) problems.push(`${path}.${key}: not a member of ${String(schema[2])} (members: ${names.join(', ')})`);
        continue;
      }
      check(item, members[index], `${path}.${key}`, problems);
    }
    for (const name of names.slice(0, required)) {
      if ((value as Record<string, unknown>)[name] === undefined) problems.push(`${path}.${name}: required by ${String(schema[2])}`);
    }
    return;
  }
  if (kind === 1) {
    if (!Array.isArray(value)) problems.push(`${path}: expected a list (${String(schema[2])}), got ${describe(value)}`);
    else value.forEach((item, i) => check(item, schema[4], `${path}[${i}]`, problems));
    return;
  }
  if (kind === 2) {
    if (typeof value !== 'object' || value === null)
      problems.push(`${path}: expected a map (${String(schema[2])}), got ${describe(value)}`);
    else for (const [key, item] of Object.entries(value)) check(item, schema[5], `${path}.${key}`, problems);
    return;
  }
  if (kind === 0) check(value, schema[4], path, problems);
}

/** An SDK v3 command as the mocks see it: input plus the operation schema `[9, ns, name, traits, input, output]`. */
interface CommandLike {
  readonly input: unknown;
  readonly schema?: unknown;
}

/** Problems with a command's input, each as `<Operation>$.path: what is wrong`; empty when the real SDK shape accepts it. */
export function requestShapeProblems(command: CommandLike): string[] {
  const operation = resolve(command.schema);
  if (!Array.isArray(operation) || operation[0] !== 9) return [`command carries no operation schema; cannot check its shape`];
  const problems: string[] = [];
  check(command.input, operation[4], `${String(operation[2])}$`, problems);
  return problems;
}
