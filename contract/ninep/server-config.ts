// How to reach "a 9P server": plain JSON that a target publishes among its resources (or a
// config names), and that the harness's conformance and hostile-input checks connect with.
// Both sides agree on this shape, so it lives here; opening a session from it stays with the
// checker (harness/ninep/target.ts).
import type { Dialect } from './codec.ts';

export interface NinepServerConfig {
  /** a name for reports, e.g. "reference secure9p" or "lab diod" */
  name: string;
  transport: 'tcp' | 'tls';
  host: string;
  port: number;
  /** TLS material as file paths (PEM) */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string };
  dialect: Dialect;
  uname: string;
  aname?: string;
  /** 9P2000.L n_uname; default: this process's uid */
  nUname?: number;
  /** a directory (from the attach root) the checks may create and remove files in */
  writableDir: string;
  /** bound on every request, ms (default 3000) */
  timeoutMs?: number;
}
