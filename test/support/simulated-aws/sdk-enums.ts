/**
 * The enum constraints of an installed SDK client, which its Smithy schemas do not carry: a
 * schema types an enum member as a plain string (or number, for an intEnum) and has no trait for
 * the allowed values. The package's type declarations do carry them: `export declare const
 * ReturnValue: { readonly ALL_NEW: "ALL_NEW"; ... }` and `ReturnValues?: ReturnValue | undefined`
 * inside `export interface PutItemInput`. This reads those declarations (generated code, regular
 * enough for a small parser) into constraints keyed by structure and member name, so the request
 * checker can reject a value the service would reject.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where an enum sits in a member's type: the member itself, its list items, or its map keys and values. */
export type EnumConstraint =
  | { readonly enum: string; readonly values: readonly (string | number)[] }
  | { readonly list: EnumConstraint }
  | { readonly map: { readonly key?: EnumConstraint; readonly value?: EnumConstraint } };

export interface ServiceEnums {
  /** Constraint of `structure.member`, undefined when no enum is involved. */
  member(structure: string, member: string): EnumConstraint | undefined;
}

const NONE: ServiceEnums = { member: () => undefined };

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** `export declare const X: { readonly A: "a"; readonly B: 2; }` → X → ["a", 2]. */
export function parseEnums(declarations: string): Map<string, (string | number)[]> {
  const enums = new Map<string, (string | number)[]>();
  for (const m of stripComments(declarations).matchAll(/export declare const (\w+): \{([^}]*)\};/g)) {
    const values = [...m[2]!.matchAll(/readonly ["\w$]+: ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?);/g)].map((v) =>
      v[1]!.startsWith('"') ? (JSON.parse(v[1]!) as string) : Number(v[1]),
    );
    if (values.length > 0) enums.set(m[1]!, values);
  }
  return enums;
}

/** The constraint a TypeScript member type puts on values, e.g. `Partial<Record<K, V[]>> | undefined`. */
export function typeConstraint(type: string, enums: ReadonlyMap<string, readonly (string | number)[]>): EnumConstraint | undefined {
  let t = type.trim().replace(/\s*\|\s*undefined$/, '');
  while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
  if (t.endsWith('[]')) {
    const item = typeConstraint(t.slice(0, -2), enums);
    return item && { list: item };
  }
  const record = /^(?:Partial<)?Record<(.+)>>?$/.exec(t);
  if (record) {
    const inner = t.startsWith('Partial<') ? t.slice('Partial<Record<'.length, -2) : t.slice('Record<'.length, -1);
    const comma = topLevelComma(inner);
    if (comma < 0) return undefined;
    const key = typeConstraint(inner.slice(0, comma), enums);
    const value = typeConstraint(inner.slice(comma + 1), enums);
    return key || value ? { map: { key, value } } : undefined;
  }
  const values = enums.get(t);
  return values && { enum: t, values };
}

function topLevelComma(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '<' || c === '(') depth += 1;
    else if (c === '>' || c === ')') depth -= 1;
    else if (c === ',' && depth === 0) return i;
  }
  return -1;
}

/** Blocks opened by `header {` at column 0 and closed by `}` at column 0. */
function topLevelBlocks(text: string, header: RegExp): [RegExpExecArray, string][] {
  const blocks: [RegExpExecArray, string][] = [];
  const re = new RegExp(header.source, 'gm');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = text.indexOf('\n}', m.index);
    if (end < 0) break;
    blocks.push([m, text.slice(m.index + m[0].length, end)]);
    re.lastIndex = end;
  }
  return blocks;
}

function members(body: string): [string, string][] {
  return [...body.matchAll(/^\s*(\w+)\??:\s*([^;]+);/gm)].map((m) => [m[1]!, m[2]!]);
}

/** Enum constraints of every structure and union declared in a client's model declarations. */
export function parseServiceEnums(modelDeclarations: string, enumDeclarations: string): ServiceEnums {
  const enums = parseEnums(`${enumDeclarations}\n${modelDeclarations}`);
  const text = stripComments(modelDeclarations);
  const index = new Map<string, Map<string, EnumConstraint>>();
  const add = (structure: string, member: string, type: string) => {
    const constraint = typeConstraint(type, enums);
    if (!constraint) return;
    if (!index.has(structure)) index.set(structure, new Map());
    index.get(structure)!.set(member, constraint);
  };
  for (const [m, body] of topLevelBlocks(text, /^export interface (\w+)[^{\n]*\{/)) {
    for (const [member, type] of members(body)) add(m[1]!, member, type);
  }
  // A union is a namespace of one interface per member, the member's own type the only one not `never`.
  for (const [m, body] of topLevelBlocks(text, /^export declare namespace (\w+) \{/)) {
    for (const variant of body.matchAll(/interface \w+Member \{([^}]*)\}/g)) {
      for (const [member, type] of members(variant[1]!)) {
        if (member !== '$unknown' && type.trim() !== 'never') add(m[1]!, member, type);
      }
    }
  }
  return { member: (structure, member) => index.get(structure)?.get(member) };
}

let packagesByNamespace: Map<string, string> | undefined;
const byNamespace = new Map<string, ServiceEnums>();

/** The installed `@aws-sdk/client-*` package whose schemas use a namespace, e.g. com.amazonaws.dynamodb. */
function packageDirectory(namespace: string): string | undefined {
  if (!packagesByNamespace) {
    packagesByNamespace = new Map();
    const scope = path.dirname(path.dirname(path.dirname(require.resolve('@aws-sdk/client-sns'))));
    for (const name of fs.readdirSync(scope).filter((n) => n.startsWith('client-'))) {
      const dir = path.join(scope, name);
      const file = path.join(dir, 'dist-cjs', 'index.js');
      if (!fs.existsSync(file)) continue;
      const ns = /^const n0 = "([^"]+)";$/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
      if (ns) packagesByNamespace.set(ns, dir);
    }
  }
  return packagesByNamespace.get(namespace);
}

/** Enum constraints for a schema namespace; none (not an error) when no installed package declares it. */
export function serviceEnums(namespace: string): ServiceEnums {
  const cached = byNamespace.get(namespace);
  if (cached) return cached;
  const dir = packageDirectory(namespace);
  let enums = NONE;
  if (dir) {
    const models = path.join(dir, 'dist-types', 'models');
    const files = fs.readdirSync(models);
    const read = (names: string[]) => names.map((n) => fs.readFileSync(path.join(models, n), 'utf8')).join('\n');
    enums = parseServiceEnums(read(files.filter((n) => /^models_\d+\.d\.ts$/.test(n))), read(files.filter((n) => n === 'enums.d.ts')));
  }
  byNamespace.set(namespace, enums);
  return enums;
}
