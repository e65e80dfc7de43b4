// A file tree reached through a protocol (a Secure9P session, typically): the three
// calls the federation checker and the trace uploader need. contract/ninep's NinepFs
// has this shape (readFile, list, remove), so a mounted namespace plugs in directly.
import { isQueenId } from './role.ts';
import type { FederationSource } from './source.ts';

export interface RemoteTree {
  /** a name for errors, e.g. "secure9p 127.0.0.1:5645" */
  readonly describe?: string;
  readFile(path: string): Promise<Buffer>;
  list(path: string): Promise<Array<{ name: string; isDir: boolean }>>;
  remove(path: string): Promise<void>;
}

/** Whether an error from a RemoteTree means "no such file" (9P: Rerror/Rlerror ENOENT or a short walk). */
export function isNotFound(e: unknown): boolean {
  const m = String((e as Error)?.message ?? e);
  return /not found|ENOENT|no such file|does not exist|file not found/i.test(m);
}

async function readOptional(tree: RemoteTree, path: string): Promise<string | undefined> {
  try {
    return (await tree.readFile(path)).toString('utf8');
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * The federation as one queen's namespace shows it: each peer's /srv mounted at
 * `<root>/<peer>/`, so `<root>/<peer>/policy_override.json` and
 * `<root>/<peer>/queen_id/role`. A directory under root is a peer when it holds either.
 */
export function treeFederationSource(tree: RemoteTree, root = '/srv'): FederationSource {
  const describe = tree.describe ?? `namespace ${root}`;
  return {
    describe,
    async listPeers() {
      const peers: string[] = [];
      for (const e of await tree.list(root)) {
        if (!e.isDir || !isQueenId(e.name)) continue;
        const inside = new Set((await tree.list(`${root}/${e.name}`)).map((x) => x.name));
        if (inside.has('policy_override.json') || inside.has('queen_id')) peers.push(e.name);
      }
      return peers;
    },
    readOverride: (peer) => readOptional(tree, `${root}/${peer}/policy_override.json`),
    readRole: (peer) => readOptional(tree, `${root}/${peer}/queen_id/role`),
  };
}
