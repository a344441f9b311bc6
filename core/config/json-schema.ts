import { z } from 'zod';
import { configSchema } from './schema';

/** The JSON Schema editors use to complete and check regions.json. Rules across fields live only in zod. */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'kubecdn regions.json', description: 'Regions, thresholds and limits of a kubecdn deployment. Validate with `npx kubecdn validate`.' }, null, 2)}\n`;
}
