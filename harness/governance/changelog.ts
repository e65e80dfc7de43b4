// CHANGELOG.md records versions as "<filename> vX.Y" mentions; a registered
// version that the changelog never mentions is unrecorded.
export function changelogVersions(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of text.matchAll(/([A-Za-z0-9_./-]+\.[A-Za-z0-9]+|Makefile)\s+v(\d+\.\d+)\b/g)) {
    const name = m[1]!.split('/').pop()!;
    if (!out.has(name)) out.set(name, new Set());
    out.get(name)!.add(m[2]!);
  }
  return out;
}
