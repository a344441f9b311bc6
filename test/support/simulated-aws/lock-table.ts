/**
 * The subset of DynamoDB condition expressions the region lock uses: clauses joined by OR, each
 * `attribute_not_exists(#name)`, `#name = :value` or `#name < :value`. Anything else throws, so a
 * changed lock condition cannot silently pass in tests.
 */
export type AttributeValue = { S?: string; N?: string };
export type AttributeMap = Record<string, AttributeValue>;

function scalar(value: AttributeValue | undefined): string | number | undefined {
  if (!value) return undefined;
  if (value.N !== undefined) return Number(value.N);
  return value.S;
}

export function evaluateCondition(
  expression: string,
  item: AttributeMap | undefined,
  names: Record<string, string>,
  values: AttributeMap,
): boolean {
  const name = (placeholder: string) => {
    const resolved = names[placeholder];
    if (!resolved) throw new Error(`condition uses ${placeholder}, which ExpressionAttributeNames does not define`);
    return resolved;
  };
  const value = (placeholder: string) => {
    if (!values[placeholder]) throw new Error(`condition uses ${placeholder}, which ExpressionAttributeValues does not define`);
    return scalar(values[placeholder]);
  };
  return expression.split(/\s+OR\s+/).some((clause) => {
    const c = clause.trim();
    let m = /^attribute_not_exists\((#\w+)\)$/.exec(c);
    if (m) return item?.[name(m[1]!)] === undefined;
    m = /^(#\w+)\s*(=|<)\s*(:\w+)$/.exec(c);
    if (m) {
      const left = scalar(item?.[name(m[1]!)]);
      const right = value(m[3]!);
      if (left === undefined) return false;
      return m[2] === '=' ? left === right : left < right!;
    }
    throw new Error(`the simulated lock table does not understand the condition clause "${c}"`);
  });
}

/**
 * What DynamoDB answers for a number it cannot read. That `N` is a string at all is checked with
 * every integration request against the SDK's shape (test/support/aws-requests); its digits are a
 * rule of the service the shape does not carry. undefined: well formed.
 */
export function attributeValueProblem(values: AttributeMap | undefined): string | undefined {
  for (const value of Object.values(values ?? {})) {
    if (value.N !== undefined && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.N))
      return `The parameter cannot be converted to a numeric value: ${value.N}`;
  }
  return undefined;
}
