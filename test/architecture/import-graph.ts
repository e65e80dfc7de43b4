// The project's import graph, read from the sources (static imports, re-exports and
// dynamic import() of relative paths), for the layering tests. Paths are
// repository-relative with forward slashes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', 'build', 'generated', 'sample-tree', '.cohesix-qa', 'qa-results']);
const SPEC =
  /(?:^|[\s;}])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
}

/** file → the repository files it imports (relative specifiers only) */
export function importGraph(folders: readonly string[]): Map<string, string[]> {
  const files: string[] = [];
  for (const f of folders) walk(join(ROOT, f), files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(SPEC)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      deps.push(
        relative(ROOT, resolve(dirname(file), spec))
          .split('\\')
          .join('/'),
      );
    }
    graph.set(relative(ROOT, file).split('\\').join('/'), deps);
  }
  return graph;
}

/** strongly connected components with more than one file (Tarjan), each sorted */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}
