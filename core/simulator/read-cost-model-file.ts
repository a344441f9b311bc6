/** Reads a `--model` file: cost and lead-time overrides as JSON, validated like the config. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config';
import type { CostModel } from './cost-model';
import { costModelFrom } from './cost-model-override';

export function readCostModelFile(file: string): CostModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'cannot read the model file: no such file'
        : code
          ? `cannot read the model file: ${(error as Error).message}`
          : `not valid JSON: ${(error as Error).message}`;
    throw new ConfigError(file, [{ path: '$', message: reason }]);
  }
  const result = costModelFrom(raw);
  if (!result.ok) throw new ConfigError(file, result.problems);
  return result.model;
}
