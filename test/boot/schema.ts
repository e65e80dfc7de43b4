// Validates a document against one of the project's schemas through the
// harness's own registry (one Ajv instance over schemas/).
import { validate } from '../../harness/schemas/registry.ts';

export async function loadSchemaValidator(name: string): Promise<(data: unknown) => boolean> {
  return (data) => validate(name, data).length === 0;
}
