// The package's public API: what a cohesix-qa.config.ts imports.
export { defineConfig } from './config/define.ts';
export type { CohesixQaConfig, GovernanceConfig, ReporterName } from './config/types.ts';
