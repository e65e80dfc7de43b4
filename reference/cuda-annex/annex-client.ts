// One bounded conversation with an annex over contract/ninep: connect, attach,
// then the caller's work. Failures are classified by where they happened: before
// the session existed (connect, version, attach) is a connection failure; after
// it is a dispatch failure. On timeout the connection is closed, so the annex
// sees the job abandoned and does not finish it behind the worker's back.
import { NinepClient, NinepFs } from '../../contract/ninep/index.ts';

export type AnnexFailureKind = 'remote_connection_failed' | 'remote_dispatch_failed';

export class AnnexCallError extends Error {
  override name = 'AnnexCallError';
  constructor(
    readonly kind: AnnexFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export async function withAnnex<T>(
  host: string,
  port: number,
  boundMs: number,
  work: (fs: NinepFs) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + boundMs;
  const left = (): number => Math.max(1, deadline - Date.now());
  const where = `annex tcp:${host}:${port}`;
  let client: NinepClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  let phase: AnnexFailureKind = 'remote_connection_failed';
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client?.close();
      reject(
        new AnnexCallError(
          phase,
          `${where}: no answer within ${boundMs} ms (${phase === 'remote_connection_failed' ? 'connecting' : 'dispatching'})`,
        ),
      );
    }, boundMs);
  });
  const attempt = (async () => {
    try {
      client = await NinepClient.connect({
        transport: 'tcp',
        host,
        port,
        timeoutMs: left(),
        connectTimeoutMs: left(),
        msize: 8192 + 24,
      });
      const fs = await NinepFs.attach(client, { uname: 'cuda-worker', timeoutMs: left() });
      phase = 'remote_dispatch_failed';
      return await work(fs);
    } catch (e) {
      if (e instanceof AnnexCallError) throw e;
      throw new AnnexCallError(phase, `${where}: ${(e as Error).message}`);
    }
  })();
  attempt.catch(() => undefined);
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
    client?.close();
  }
}

export { NinepFs };
