import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildHelaSchema } from './schema.js';

export const SCHEMA_FILE = 'schema.graphql';

/** The SDL as committed in `schema.graphql`: sorted, so that it only changes when the API does. */
export async function printHelaSchema(): Promise<string> {
  const schema = await buildHelaSchema();
  return `# Generated from the code by \`npm run schema:write\`; do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
