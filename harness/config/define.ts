import type { CohesixQaConfig } from './types.ts';

/** Typed identity helper for cohesix-qa.config.ts: `export default defineConfig({...})`. */
export function defineConfig(config: CohesixQaConfig): CohesixQaConfig {
  return config;
}
