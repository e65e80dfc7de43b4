// `cohesix-qa reference uploader`: the reference trace uploader alone, mounting a given
// Secure9P endpoint as a given identity — for a user's target that names its /srv/alerts
// endpoint but has no uploader of its own. Prints {"url","pid"} as one line of JSON, runs
// until SIGINT or SIGTERM.
import { UsageError } from '../errors.ts';
import { startInvokeServer, type AlertsMountConfig } from './reference-uploader.ts';

export interface UploaderRequest {
  /** JSON: {host, port, servername?, caCert, cert, key} */
  mount: string;
  out(line: string): void;
  log(line: string): void;
}

function parseMount(text: string): AlertsMountConfig {
  let m: Partial<AlertsMountConfig>;
  try {
    m = JSON.parse(text) as Partial<AlertsMountConfig>;
  } catch (e) {
    throw new UsageError(
      `--mount: not JSON (${(e as Error).message})\n  fix: --mount '{"host","port","caCert","cert","key"}'`,
    );
  }
  const missing = (['host', 'port', 'caCert', 'cert', 'key'] as const).filter((k) => m[k] === undefined);
  if (missing.length > 0)
    throw new UsageError(
      `--mount: ${missing.join(', ')} missing\n  fix: --mount '{"host","port","caCert","cert","key"}'`,
    );
  return m as AlertsMountConfig;
}

export async function serveUploader(req: UploaderRequest): Promise<number> {
  const mount = parseMount(req.mount);
  let wake: (sig: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((r) => (wake = r));
  process.once('SIGINT', wake);
  process.once('SIGTERM', wake);
  const server = await startInvokeServer(mount, { deleteBeforeUpload: false });
  try {
    req.out(JSON.stringify({ url: server.url, pid: process.pid }));
    req.log(
      `reference uploader at ${server.url}, mounting ${mount.host}:${mount.port}; SIGINT or SIGTERM stops`,
    );
    req.log(`${await signalled}: stopping the reference uploader`);
  } finally {
    await server.close();
  }
  return 0;
}
