// The part of a Cohesix namespace the trace uploader needs: list the alert files under
// /srv/alerts, read one, remove one. The uploader mounts it over Secure9P
// (remote-namespace.ts over contract/ninep, mounted by mount.ts); a local folder
// implements the same three calls for tests of the round logic alone.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface AlertNamespace {
  /** a name for errors and reports, e.g. the folder or the 9P address */
  readonly describe: string;
  /** alert files as paths relative to /srv/alerts (`<agent>/log`), sorted */
  list(): Promise<string[]>;
  read(path: string): Promise<Buffer>;
  remove(path: string): Promise<void>;
  /** true once the connection under the namespace is gone: the round stops there */
  connectionLost?(): boolean;
}

function checkPath(path: string): void {
  if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new Error(`alert path ${JSON.stringify(path)} is not a plain relative path under /srv/alerts`);
  }
}

/** `alertsDir` plays /srv/alerts: every regular file below it, at any depth, is an alert. */
export function folderNamespace(alertsDir: string): AlertNamespace {
  return {
    describe: alertsDir,
    async list() {
      const out: string[] = [];
      const walk = async (dir: string, depth: number): Promise<void> => {
        if (depth > 8) return; // /srv/alerts/<agent>/log is two deep; deeper trees are not alerts
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw e;
        }
        for (const e of entries) {
          const p = join(dir, e.name);
          if (e.isDirectory()) await walk(p, depth + 1);
          else if (e.isFile()) out.push(relative(alertsDir, p).split(sep).join('/'));
        }
      };
      await walk(alertsDir, 0);
      return out.sort();
    },
    async read(path) {
      checkPath(path);
      return readFile(join(alertsDir, path));
    },
    async remove(path) {
      checkPath(path);
      const full = join(alertsDir, path);
      if (!(await stat(full)).isFile()) throw new Error(`${full} is not a file`);
      await rm(full);
    },
  };
}
