// Secrets (tokens, passwords, keys) never reach a log, report or annotation.
// Every string that leaves the harness passes through here first.
const MASK = '***';

/** Replace every occurrence of each secret (and its base64 form, as in Basic auth) with ***. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 3) continue;
    out = out.split(s).join(MASK);
    const b64 = Buffer.from(s).toString('base64');
    if (b64.length >= 4) out = out.split(b64).join(MASK);
  }
  return out;
}

/** Deep-redact every string inside a JSON-like value. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets);
    return out as T;
  }
  return value;
}
