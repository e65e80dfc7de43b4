// The uploader's namespace over a mounted tree (a Secure9P session mounted with
// contract/ninep): /srv/alerts listed recursively, files read and removed by path.
import type { AlertNamespace } from './namespace.ts';

/** The few calls the uploader makes on a mounted 9P tree (a harness/ninep NinepFs fits as it is). */
export type MountedTree = {
  list(dir: string): Promise<ReadonlyArray<{ name: string; isDir: boolean }>>;
  readFile(file: string): Promise<Buffer>;
  remove(file: string): Promise<void>;
  /** a name for errors, e.g. "secure9p 127.0.0.1:5645" */
  readonly describe?: string;
};

const MAX_DEPTH = 8;

function checkPath(path: string): void {
  if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new Error(`alert path ${JSON.stringify(path)} is not a plain relative path under /srv/alerts`);
  }
}

export function remoteAlertNamespace(
  tree: MountedTree,
  alertsRoot = '/srv/alerts',
  opts: { describe?: string; connectionLost?: () => boolean } = {},
): AlertNamespace {
  return {
    describe: `${opts.describe ?? tree.describe ?? 'namespace'} ${alertsRoot}`,
    connectionLost: opts.connectionLost,
    async list() {
      const out: string[] = [];
      const walk = async (rel: string, depth: number): Promise<void> => {
        if (depth > MAX_DEPTH) return;
        for (const e of await tree.list(rel ? `${alertsRoot}/${rel}` : alertsRoot)) {
          if (e.name === '.' || e.name === '..') continue;
          const p = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDir) await walk(p, depth + 1);
          else out.push(p);
        }
      };
      await walk('', 0);
      return out.sort();
    },
    async read(path) {
      checkPath(path);
      return tree.readFile(`${alertsRoot}/${path}`);
    },
    async remove(path) {
      checkPath(path);
      await tree.remove(`${alertsRoot}/${path}`);
    },
  };
}
