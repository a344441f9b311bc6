/** A plain-text table: columns as wide as their widest cell, text left-aligned and the columns named in `numeric` right-aligned. */
export function textTable(rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  '),
    )
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}
