// Basic auth against /srv/orch_user.json {"user": ..., "pass": ...}. The file is read
// at start; a missing or malformed file is a startup error naming the file.
import { readFileSync } from 'node:fs';
import { timingSafeEqual, createHash } from 'node:crypto';

export interface OrchCredentials {
  user: string;
  pass: string;
}

export function loadCredentials(path: string): OrchCredentials {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `GUI credentials file ${path} cannot be read (${(e as Error).message}); write {"user": ..., "pass": ...} there or start with dev mode`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`GUI credentials file ${path} is not JSON; expected {"user": ..., "pass": ...}`);
  }
  const p = parsed as Partial<OrchCredentials>;
  if (
    typeof p.user !== 'string' ||
    typeof p.pass !== 'string' ||
    !p.user ||
    !p.pass ||
    p.user.includes(':')
  ) {
    throw new Error(
      `GUI credentials file ${path} must hold {"user": non-empty string without ':', "pass": non-empty string}`,
    );
  }
  return { user: p.user, pass: p.pass };
}

// hash first so the comparison takes the same time whatever the lengths
function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Does this Authorization header carry exactly these credentials? */
export function basicAuthMatches(header: string | undefined, creds: OrchCredentials): boolean {
  if (!header) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = same(decoded.slice(0, colon), creds.user);
  const passOk = same(decoded.slice(colon + 1), creds.pass);
  return userOk && passOk;
}
