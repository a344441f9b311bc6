/** Writes config/regions.schema.json from the zod schema; `npm test` fails if the committed copy is stale. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchemaText } from '../core/config/json-schema';

const target = join(__dirname, '..', 'config', 'regions.schema.json');
writeFileSync(target, configJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
