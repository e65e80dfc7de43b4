// The reference queens' canonical form of a JSON value, written for the queens
// and on purpose not shared with the harness (whose expected roots must come from
// its own code, or a bug common to both would pass): members sorted by key in
// UTF-16 code-unit order, members whose value is undefined dropped, undefined
// array elements written as null, no whitespace. Signatures and Merkle leaves are
// taken over these bytes, so the field order a peer happens to send cannot change them.

const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a === b ? 0 : a < b ? -1 : 1);

export function canonicalForm(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${Array.from(value, (v: unknown) => canonicalForm(v)).join(',')}]`;
      const members = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(byKey)
        .map(([k, v]) => `${JSON.stringify(k)}:${canonicalForm(v)}`);
      return `{${members.join(',')}}`;
    }
    default:
      // strings, finite numbers and booleans: JSON's own spelling (NaN and ±Infinity become null)
      return JSON.stringify(value);
  }
}
