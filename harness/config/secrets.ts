// Every secret the config holds: the explicit `secrets` list plus any value under a
// key that names a secret (password, pass, token, secret, apiKey). Reporters get them
// redacted and the github reporter masks them with setSecret before printing anything.
import type { CohesixQaConfig } from './types.ts';

const SECRET_KEY = /(^|_|-|\b)(pass(word)?|token|secret|api[-_]?key|credentials?)$/i;

export function collectSecrets(config: CohesixQaConfig): string[] {
  const out = new Set<string>(config.secrets ?? []);
  const walk = (v: unknown, key = '') => {
    if (typeof v === 'string') {
      if (SECRET_KEY.test(key) && v.length > 0) out.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(config);
  return [...out].filter((s) => s.length >= 3);
}
