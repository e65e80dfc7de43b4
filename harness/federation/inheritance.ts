// Inheritance chains from `inherit:<parent_id>` declarations. A chain is listed root
// ancestor first. Cycles are found with one walk per queen bounded by the number of
// queens, reported once each in a canonical rotation, and never followed twice.

export interface ChainResult {
  /** root ancestor first, the queen last; present only when the whole chain exists and is acyclic */
  chains: Map<string, string[]>;
  /** each cycle once, rotated to start at its smallest id */
  cycles: string[][];
  /** queens whose chain reaches an undeclared parent, with that parent */
  missingParents: Array<{ queen_id: string; parent: string }>;
  /** queens whose chain runs into a cycle (on it or above it) */
  reachesCycle: Set<string>;
  /** queens whose chain runs into a missing parent */
  reachesMissing: Map<string, string>;
}

function canonicalCycle(cycle: string[]): string[] {
  let min = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i]! < cycle[min]!) min = i;
  return [...cycle.slice(min), ...cycle.slice(0, min)];
}

/** parents: queen id -> parent id (absent: a root). Every key is a known queen. */
export function buildChains(queens: readonly string[], parents: ReadonlyMap<string, string>): ChainResult {
  const known = new Set(queens);
  const chains = new Map<string, string[]>();
  const cycleKeys = new Set<string>();
  const cycles: string[][] = [];
  const missingParents: Array<{ queen_id: string; parent: string }> = [];
  const reachesCycle = new Set<string>();
  const reachesMissing = new Map<string, string>();

  for (const q of queens) {
    if (!known.has(q)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let cur: string | undefined = q;
    // bounded: each step adds a distinct queen to the path or stops
    while (cur !== undefined && path.length <= known.size) {
      const seenAt = onPath.get(cur);
      if (seenAt !== undefined) {
        const cyc = canonicalCycle(path.slice(seenAt));
        const key = cyc.join('\u0000');
        if (!cycleKeys.has(key)) {
          cycleKeys.add(key);
          cycles.push(cyc);
        }
        reachesCycle.add(q);
        break;
      }
      onPath.set(cur, path.length);
      path.push(cur);
      const parent = parents.get(cur);
      if (parent !== undefined && !known.has(parent)) {
        if (cur === q) missingParents.push({ queen_id: q, parent });
        reachesMissing.set(q, parent);
        break;
      }
      cur = parent;
    }
    if (!reachesCycle.has(q) && !reachesMissing.has(q)) chains.set(q, path.reverse());
  }
  cycles.sort((a, b) => (a.join(',') < b.join(',') ? -1 : a.join(',') > b.join(',') ? 1 : 0));
  missingParents.sort((a, b) => (a.queen_id < b.queen_id ? -1 : a.queen_id > b.queen_id ? 1 : 0));
  return { chains, cycles, missingParents, reachesCycle, reachesMissing };
}
