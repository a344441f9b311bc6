import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../core/config';
import { configJsonSchemaText } from '../../core/config/json-schema';

const root = join(__dirname, '..', '..');

describe('the committed config files', () => {
  it('keeps config/regions.schema.json generated from the current zod schema (run `npm run schema` to refresh)', () => {
    expect(readFileSync(join(root, 'config', 'regions.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  it('ships an example config/regions.json that validates', () => {
    const { config } = loadConfigFile(join(root, 'config', 'regions.json'));
    expect(config.alwaysOn.length).toBeGreaterThan(0);
  });
});
