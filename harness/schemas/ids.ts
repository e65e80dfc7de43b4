// The base of every schema $id (schemas/*.schema.json). Its own module so the CLI can
// name it in help text without loading the registry (ajv compiles every schema).
export const SCHEMA_BASE = 'https://cohesix.dev/qa/schemas/';
