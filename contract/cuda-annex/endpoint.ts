// Where a worker finds the annex: `/srv/cuda` holds `tcp:<host>:<port>`; the env
// CUDA_SERVER overrides it. Every way this can be wrong maps to one of the
// contract's fallback reasons, so the executor never guesses.
import { readFileSync } from 'node:fs';

export type EndpointFallbackReason =
  'missing_remote_endpoint' | 'unsupported_endpoint_scheme' | 'invalid_endpoint';

export type EndpointResolution =
  | { ok: true; host: string; port: number; source: 'env' | 'srv'; raw: string }
  | { ok: false; reason: EndpointFallbackReason; detail: string };

/** Read the endpoint text: CUDA_SERVER first, then the /srv/cuda file; empty counts as absent. */
export function readEndpointText(
  srvCudaPath: string | undefined,
  env: Record<string, string | undefined>,
): { text: string; source: 'env' | 'srv' } | undefined {
  const fromEnv = env['CUDA_SERVER']?.trim();
  if (fromEnv) return { text: fromEnv, source: 'env' };
  if (!srvCudaPath) return undefined;
  let text: string;
  try {
    text = readFileSync(srvCudaPath, 'utf8').trim();
  } catch {
    return undefined;
  }
  return text ? { text, source: 'srv' } : undefined;
}

export function parseEndpoint(text: string, source: 'env' | 'srv'): EndpointResolution {
  const where = source === 'env' ? 'CUDA_SERVER' : '/srv/cuda';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(text);
  if (!m) {
    return {
      ok: false,
      reason: 'invalid_endpoint',
      detail: `${where} is ${JSON.stringify(text)}; expected tcp:<host>:<port>`,
    };
  }
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'tcp') {
    return {
      ok: false,
      reason: 'unsupported_endpoint_scheme',
      detail: `${where} uses scheme ${JSON.stringify(scheme)}; only tcp:<host>:<port> is supported`,
    };
  }
  const rest = m[2]!;
  const hp = /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(rest);
  const port = hp ? Number(hp[2]) : NaN;
  if (!hp || port < 1 || port > 65535) {
    return {
      ok: false,
      reason: 'invalid_endpoint',
      detail: `${where} is ${JSON.stringify(text)}; expected tcp:<host>:<port> with a port in 1-65535`,
    };
  }
  const host = hp[1]!.replace(/^\[|\]$/g, '');
  return { ok: true, host, port, source, raw: text };
}

export function resolveEndpoint(
  srvCudaPath: string | undefined,
  env: Record<string, string | undefined>,
): EndpointResolution {
  const found = readEndpointText(srvCudaPath, env);
  if (!found) {
    return {
      ok: false,
      reason: 'missing_remote_endpoint',
      detail: `neither CUDA_SERVER nor ${srvCudaPath ?? '/srv/cuda'} names an annex endpoint`,
    };
  }
  return parseEndpoint(found.text, found.source);
}
