// The configuration a user writes in cohesix-qa.config.(ts|mjs|json). The schema
// (schemas/config.schema.json) is the authority; these types mirror it for editors.
import type { ConfigTarget, QemuTargetConfig } from './targets.ts';
import type { BootSection } from '../boot/plan.ts';
import type { LabBoardConfig } from '../lab/board.ts';
import type { ReporterName } from '../../reporters/index.ts';
import type { CohSection } from '../coh/resources.ts';

/** a reporter's name: derived from the registry (reporters/index.ts) */
export type { ReporterName };

export interface GovernanceConfig {
  root?: string;
  asOf?: string;
  metadataFile?: string;
  changelogFile?: string;
  threatModelFile?: string;
  advisoriesFile?: string;
  sbomFile?: string;
  exclude?: string[];
  allowedLicenses?: string[];
}

export interface CohesixQaConfig {
  /** a kind, or { kind: 'external', name } for your own services (nothing started, nothing merged) */
  target?: ConfigTarget;
  suites?: string[];
  reporters?: ReporterName[];
  outDir?: string;
  secrets?: string[];
  timeouts?: { caseMs?: number; targetStartMs?: number };
  targets?: {
    reference?: { defect?: string; stateDir?: string };
    qemu?: QemuTargetConfig;
    lab?: Partial<LabBoardConfig> & Pick<LabBoardConfig, 'serial' | 'power'>;
    release?: Record<string, unknown>;
  };
  /** quarantine file and history store (see schemas/config-nightly.schema.json) */
  nightly?: { quarantineFile?: string; history?: string };
  governance?: GovernanceConfig;
  boot?: BootSection;
  secure9p?: Record<string, unknown>;
  gui?: Record<string, unknown>;
  'cuda-annex'?: Record<string, unknown>;
  trace?: Record<string, unknown>;
  federation?: Record<string, unknown>;
  release?: Record<string, unknown>;
  coh?: CohSection;
  /** case groups (or areas) that fail rather than skip when not configured; `run --require` adds to it */
  require?: string[];
}

/** The config after loading: the file's directory is kept so relative paths resolve against it. */
export interface LoadedConfig {
  config: CohesixQaConfig;
  /** absolute path of the file, or undefined when none was found */
  file?: string;
  /** directory relative paths in the config resolve against */
  baseDir: string;
}
