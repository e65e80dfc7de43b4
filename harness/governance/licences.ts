// Dependency licences: Apache-2.0, MIT and BSD variants are allowed; GPL/AGPL (and
// anything unknown) fail. Sources: the tree's CycloneDX SBOM (components[].licenses)
// and every Cargo.toml / package.json `license` field. SPDX expressions are parsed:
// OR passes if any branch is allowed, AND needs every branch allowed.
import parseSpdx from 'spdx-expression-parse';
import { parse as parseToml } from 'smol-toml';
import type { Finding } from './findings.ts';

export const DEFAULT_ALLOWED = [
  'Apache-2.0',
  'MIT',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BSD-3-Clause-Clear',
];

type SpdxNode = { license?: string; conjunction?: 'and' | 'or'; left?: SpdxNode; right?: SpdxNode };

export function licenceAllowed(expr: string, allowed: readonly string[]): boolean {
  let tree: SpdxNode;
  try {
    tree = parseSpdx(expr) as SpdxNode;
  } catch {
    return false;
  }
  const ok = (n: SpdxNode): boolean =>
    n.license
      ? allowed.includes(n.license)
      : n.conjunction === 'or'
        ? ok(n.left!) || ok(n.right!)
        : ok(n.left!) && ok(n.right!);
  return ok(tree);
}

export interface DeclaredLicence {
  file: string;
  line?: number;
  component: string;
  expression: string;
}

export function sbomLicences(
  file: string,
  text: string,
): { declared: DeclaredLicence[]; findings: Finding[] } {
  let doc: {
    components?: Array<{
      name?: string;
      version?: string;
      licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
    }>;
  };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    return {
      declared: [],
      findings: [{ file, line: 1, message: `not valid JSON: ${(e as Error).message}` }],
    };
  }
  const lines = text.split('\n');
  const declared: DeclaredLicence[] = [];
  const findings: Finding[] = [];
  for (const c of doc.components ?? []) {
    const component = `${c.name ?? '?'}@${c.version ?? '?'}`;
    const line = lines.findIndex((l) => l.includes(`"${c.name}"`)) + 1 || undefined;
    const exprs = (c.licenses ?? [])
      .map((l) => l.expression ?? l.license?.id ?? l.license?.name ?? '')
      .filter(Boolean);
    if (exprs.length === 0) findings.push({ file, line, message: `${component} declares no licence` });
    // several entries in `licenses` mean the component is under all of them
    if (exprs.length > 0)
      declared.push({ file, line, component, expression: exprs.map((e) => `(${e})`).join(' AND ') });
  }
  return { declared, findings };
}

export function manifestLicence(file: string, text: string): DeclaredLicence | undefined {
  if (file.endsWith('Cargo.toml')) {
    const doc = parseToml(text) as { package?: { name?: string; license?: string } };
    if (!doc.package?.license) return undefined;
    const line = text.split('\n').findIndex((l) => /^\s*license\s*=/.test(l)) + 1 || undefined;
    return { file, line, component: doc.package.name ?? file, expression: doc.package.license };
  }
  if (file.endsWith('package.json')) {
    const doc = JSON.parse(text) as { name?: string; license?: string };
    if (!doc.license) return undefined;
    return { file, component: doc.name ?? file, expression: doc.license };
  }
  return undefined;
}
