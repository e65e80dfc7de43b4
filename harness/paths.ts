// Where the project's own folders are, wherever the CLI is started from.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** COHESIX_QA_SUITES_DIR lets the project's own tests run synthetic suites through the real CLI. */
export const SUITES_DIR = process.env.COHESIX_QA_SUITES_DIR ?? join(PROJECT_ROOT, 'suites');
