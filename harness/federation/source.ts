// Where a federation's published files are read from. The checker needs only to
// list peers and read two small files of each; a folder snapshot implements that
// now, and a 9P-backed source (over contract/ninep) can implement the same interface.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isQueenId } from './role.ts';

export interface FederationSource {
  /** a name for errors, e.g. the folder or the 9P address */
  readonly describe: string;
  /** peer ids, in whatever order the source yields them (resolution must not depend on it) */
  listPeers(): Promise<string[]>;
  /** the peer's /srv/<peer>/policy_override.json, or undefined when absent */
  readOverride(peer: string): Promise<string | undefined>;
  /** the peer's /srv/queen_id/role, or undefined when absent */
  readRole(peer: string): Promise<string | undefined>;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * A federation snapshot folder: `<dir>/<peer>/policy_override.json` (the peer's
 * /srv/<peer>/policy_override.json) and `<dir>/<peer>/queen_id/role` (the peer's own
 * /srv/queen_id/role). Every sub-folder whose name is a queen id is a peer.
 */
export function folderSource(dir: string): FederationSource {
  return {
    describe: dir,
    async listPeers() {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        throw new Error(
          `cannot list federation folder ${dir}: ${(e as Error).message} (give a folder holding one sub-folder per peer)`,
        );
      }
      return entries.filter((e) => e.isDirectory() && isQueenId(e.name)).map((e) => e.name);
    },
    readOverride: (peer) => readOptional(join(dir, peer, 'policy_override.json')),
    readRole: (peer) => readOptional(join(dir, peer, 'queen_id', 'role')),
  };
}
