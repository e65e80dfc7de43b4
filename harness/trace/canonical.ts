// Canonical JSON: object keys sorted, no whitespace. Two events that mean the
// same thing serialize to the same bytes, which both the semantic diff and the
// Merkle leaves rely on. `skip` leaves out top-level fields (volatile ones).
// The checker's own: the reference queens write theirs apart (#16), and
// test/trace/canonical-agreement.test.ts holds both to the same vectors.

export function canonicalJson(value: unknown, skip?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || skip?.has(k)) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${v !== null && typeof v === 'object' ? canonicalJson(v) : JSON.stringify(v)}`;
    first = false;
  }
  return `${out}}`;
}
