// The reference uploader's "serverless" entry point: an HTTP endpoint on loopback that
// runs one upload round per POST /invoke, the way a Lambda invocation would: mount the
// namespace over Secure9P, upload /srv/alerts, detach. The body names the object store;
// the answer is the round's report with an excerpt of the round's 9P transcript (frame
// summaries, never file bytes). Credentials in the body are used for the round and
// never logged or echoed.
import { createServer, type Server } from 'node:http';
import { mountAlerts, MountError, type AlertsMountConfig, type MountedAlerts } from './mount.ts';
import { s3Store, type S3StoreOptions } from './object-store.ts';
import { uploadRound, type RoundReport } from './uploader.ts';

/** frames of the 9P transcript returned with each round (a round of a few alerts fits whole) */
const TRANSCRIPT_FRAMES = 200;

export interface InvokeReport extends RoundReport {
  /** the round's Secure9P session: where it went and its last frames */
  session: { endpoint: string; transcript: string };
}

export interface InvokeServer {
  url: string;
  close(): Promise<void>;
}

function badRequest(why: string): { status: number; body: unknown } {
  return {
    status: 400,
    body: {
      error: why,
      expected: '{"store":{"endpoint","bucket","accessKeyId","secretAccessKey","region"?}}',
    },
  };
}

/** One round: mount, upload, detach. A mount failure is a round that stopped before it began. */
export async function invokeRound(
  mount: () => Promise<MountedAlerts>,
  store: Parameters<typeof uploadRound>[1],
  opts: { deleteBeforeUpload: boolean },
): Promise<InvokeReport> {
  let m: MountedAlerts;
  try {
    m = await mount();
  } catch (e) {
    const err = e as Error;
    return {
      namespace: '(not mounted)',
      store: store.describe,
      outcomes: [],
      aborted: `${err.message}; nothing was uploaded or removed`,
      session: { endpoint: '(not mounted)', transcript: e instanceof MountError ? e.transcript : '' },
    };
  }
  try {
    const r = await uploadRound(m.ns, store, {
      deleteBeforeUpload: opts.deleteBeforeUpload,
      note: (line) => m.note(line),
    });
    return { ...r, session: { endpoint: m.endpoint, transcript: m.transcript(TRANSCRIPT_FRAMES) } };
  } finally {
    await m.close();
  }
}

export async function startInvokeServer(
  target: AlertsMountConfig | (() => Promise<MountedAlerts>),
  opts: { deleteBeforeUpload: boolean },
): Promise<InvokeServer> {
  const mount = typeof target === 'function' ? target : () => mountAlerts(target);
  const handle = async (
    method: string,
    url: string,
    text: string,
  ): Promise<{ status: number; body: unknown }> => {
    if (method !== 'POST' || url !== '/invoke')
      return { status: 404, body: { error: `no route ${method} ${url}; use POST /invoke` } };
    let body: { store?: Partial<S3StoreOptions> };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return badRequest('body is not JSON');
    }
    const s = body.store;
    for (const k of ['endpoint', 'bucket', 'accessKeyId', 'secretAccessKey'] as const) {
      if (typeof s?.[k] !== 'string' || s[k] === '') return badRequest(`store.${k} is missing`);
    }
    const store = s3Store(s as S3StoreOptions);
    try {
      return {
        status: 200,
        body: await invokeRound(mount, store, opts),
      };
    } finally {
      store.close();
    }
  };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      text += c;
      if (text.length > 65536) req.destroy();
    });
    req.on('end', () => {
      handle(req.method ?? '', req.url ?? '', text).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (e: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: e.message }));
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
