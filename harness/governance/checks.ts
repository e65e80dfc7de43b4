// Governance checks over one source tree (Epic 7). Each returns findings that name
// the file and line; the governance suite turns each check into one case.
import { readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { listTreeFiles } from './tree.ts';
import { needsHeader, parseHeader, type FileHeader } from './header.ts';
import { parseMetadata, rowMatches, type MetadataRow } from './metadata.ts';
import { changelogVersions } from './changelog.ts';
import { findPlaceholders } from './placeholders.ts';
import {
  DEFAULT_ALLOWED,
  licenceAllowed,
  manifestLicence,
  sbomLicences,
  type DeclaredLicence,
} from './licences.ts';
import { threatModelFindings } from './threat-model.ts';
import { slaBreaches, meanTimes, GOALS, type Advisory, type MeanTimes } from './advisories.ts';
import { validate } from '../schemas/registry.ts';
import { InfraError } from '../errors.ts';
import type { Finding } from './findings.ts';
import type { GovernanceConfig } from '../config/types.ts';

export interface GovernanceResources {
  root: string;
  /** ISO date the time-based checks are judged at; default today */
  asOf?: string;
}

/** Files that are the registry itself, not registered in it. */
const REGISTRY_FILES = ['METADATA.md', 'CHANGELOG.md', 'LICENSE', 'LICENSE.md', 'NOTICE', '.gitignore'];

export class GovernanceTree {
  readonly files: string[];
  readonly asOf: Date;
  private cache = new Map<string, string>();
  readonly metadataFile: string;
  readonly changelogFile: string;
  readonly threatModelFile: string;
  readonly advisoriesFile: string;
  readonly sbomFile: string;
  readonly allowed: readonly string[];

  constructor(
    readonly root: string,
    cfg: GovernanceConfig = {},
  ) {
    if (!existsSync(root))
      throw new InfraError(
        `governance root ${root} does not exist`,
        'set governance.root to a Cohesix source tree',
      );
    this.files = listTreeFiles(root, cfg.exclude ?? []);
    this.asOf = cfg.asOf ? new Date(`${cfg.asOf}T23:59:59Z`) : new Date();
    this.metadataFile = cfg.metadataFile ?? 'METADATA.md';
    this.changelogFile = cfg.changelogFile ?? 'CHANGELOG.md';
    this.threatModelFile = cfg.threatModelFile ?? 'docs/security/THREAT_MODEL.md';
    this.advisoriesFile = cfg.advisoriesFile ?? 'security/advisories.json';
    this.sbomFile = cfg.sbomFile ?? 'sbom.cdx.json';
    this.allowed = cfg.allowedLicenses ?? DEFAULT_ALLOWED;
  }

  read(file: string): string {
    let t = this.cache.get(file);
    if (t === undefined) {
      t = readFileSync(join(this.root, file), 'utf8');
      this.cache.set(file, t);
    }
    return t;
  }

  has(file: string): boolean {
    return this.files.includes(file);
  }

  private missing(file: string, what: string): Finding[] {
    return [{ file, message: `missing: ${what} (configure governance.${what} if it lives elsewhere)` }];
  }

  headers(): { headers: Map<string, FileHeader>; findings: Finding[] } {
    const headers = new Map<string, FileHeader>();
    const findings: Finding[] = [];
    for (const f of this.files.filter(needsHeader)) {
      const r = parseHeader(f, this.read(f));
      findings.push(...r.findings);
      if (r.header) headers.set(f, r.header);
    }
    return { headers, findings };
  }

  metadata(): { rows: MetadataRow[]; findings: Finding[] } {
    if (!this.has(this.metadataFile))
      return { rows: [], findings: this.missing(this.metadataFile, 'metadataFile') };
    return parseMetadata(this.metadataFile, this.read(this.metadataFile));
  }

  /** every file has a METADATA.md row, and every row names a file that exists */
  registrationFindings(): Finding[] {
    const { rows, findings } = this.metadata();
    if (!this.has(this.metadataFile)) return findings;
    const registrable = this.files.filter((f) => !REGISTRY_FILES.includes(basename(f)) || f.includes('/'));
    for (const f of registrable) {
      if (!rows.some((r) => rowMatches(r, f)))
        findings.push({ file: f, line: 1, message: `not registered in ${this.metadataFile}` });
    }
    for (const r of rows) {
      if (!this.files.some((f) => rowMatches(r, f))) {
        findings.push({
          file: this.metadataFile,
          line: r.line,
          message: `row "${r.filename}" names no file in the tree`,
        });
      }
    }
    return findings;
  }

  /** header version/date/classification equal the METADATA row; the version is in CHANGELOG.md */
  versionFindings(): Finding[] {
    const { rows } = this.metadata();
    const { headers } = this.headers();
    const findings: Finding[] = [];
    const changelog = this.has(this.changelogFile)
      ? changelogVersions(this.read(this.changelogFile))
      : undefined;
    if (!changelog) findings.push(...this.missing(this.changelogFile, 'changelogFile'));
    for (const r of rows) {
      const file = this.files.find((f) => rowMatches(r, f));
      if (!file) continue; // a dangling row is a registration finding
      const h = headers.get(file);
      if (h) {
        if (h.version !== r.version) {
          findings.push({
            file,
            line: h.lines.filename,
            message: `header version v${h.version}, ${this.metadataFile}:${r.line} says v${r.version}`,
          });
        }
        if (h.dateModified !== r.lastModified) {
          findings.push({
            file,
            line: h.lines.dateModified,
            message: `header Date Modified ${h.dateModified}, ${this.metadataFile}:${r.line} says ${r.lastModified}`,
          });
        }
        if (h.classification !== r.classification) {
          findings.push({
            file,
            line: h.lines.classification,
            message: `header CLASSIFICATION ${h.classification}, ${this.metadataFile}:${r.line} says ${r.classification}`,
          });
        }
      }
      if (changelog && !changelog.get(basename(file))?.has(r.version)) {
        findings.push({
          file: this.metadataFile,
          line: r.line,
          message: `${basename(file)} v${r.version} is not recorded in ${this.changelogFile}`,
        });
      }
    }
    return findings;
  }

  licences(): { declared: DeclaredLicence[]; findings: Finding[] } {
    const declared: DeclaredLicence[] = [];
    const findings: Finding[] = [];
    if (this.has(this.sbomFile)) {
      const r = sbomLicences(this.sbomFile, this.read(this.sbomFile));
      declared.push(...r.declared);
      findings.push(...r.findings);
    }
    for (const f of this.files.filter((f) => f.endsWith('Cargo.toml') || f.endsWith('package.json'))) {
      try {
        const d = manifestLicence(f, this.read(f));
        if (d) declared.push(d);
      } catch (e) {
        findings.push({
          file: f,
          line: 1,
          message: `cannot be parsed: ${(e as Error).message.split('\n')[0]}`,
        });
      }
    }
    if (declared.length === 0 && findings.length === 0) {
      findings.push({
        file: this.sbomFile,
        message: `no licence declarations found (no ${this.sbomFile}, no Cargo.toml/package.json license fields)`,
      });
    }
    for (const d of declared) {
      if (!licenceAllowed(d.expression, this.allowed)) {
        findings.push({
          file: d.file,
          line: d.line,
          message: `${d.component} is licensed "${d.expression}"; allowed: ${this.allowed.join(', ')}`,
        });
      }
    }
    return { declared, findings };
  }

  placeholderFindings(): Finding[] {
    return this.files.filter(needsHeader).flatMap((f) => findPlaceholders(f, this.read(f)));
  }

  threatModelFindings(): Finding[] {
    if (!this.has(this.threatModelFile)) return this.missing(this.threatModelFile, 'threatModelFile');
    return threatModelFindings(this.threatModelFile, this.read(this.threatModelFile), this.asOf);
  }

  advisories(): { list: Advisory[]; findings: Finding[] } {
    const file = this.advisoriesFile;
    if (!this.has(file)) return { list: [], findings: this.missing(file, 'advisoriesFile') };
    let doc: unknown;
    try {
      doc = JSON.parse(this.read(file));
    } catch (e) {
      return { list: [], findings: [{ file, line: 1, message: `not valid JSON: ${(e as Error).message}` }] };
    }
    const issues = validate('security-advisories', doc);
    const findings = issues.map((i) => ({
      file,
      message: `${i.path}: expected ${i.expected}, found ${i.actual}`,
    }));
    return { list: findings.length ? [] : (doc as { advisories: Advisory[] }).advisories, findings };
  }

  slaFindings(): Finding[] {
    const { list } = this.advisories();
    return slaBreaches(
      this.advisoriesFile,
      this.has(this.advisoriesFile) ? this.read(this.advisoriesFile) : '',
      list,
      this.asOf,
    );
  }

  meanTimes(): MeanTimes & { findings: Finding[] } {
    const m = meanTimes(this.advisories().list);
    const findings: Finding[] = [];
    if (m.acknowledged && m.mttaHours >= GOALS.mttaHours) {
      findings.push({
        file: this.advisoriesFile,
        message: `mean time to acknowledge ${m.mttaHours.toFixed(1)} h; goal < ${GOALS.mttaHours} h`,
      });
    }
    if (m.resolved && m.mttrDays >= GOALS.mttrDays) {
      findings.push({
        file: this.advisoriesFile,
        message: `mean time to remediate ${m.mttrDays.toFixed(1)} days; goal < ${GOALS.mttrDays} days`,
      });
    }
    return { ...m, findings };
  }
}
