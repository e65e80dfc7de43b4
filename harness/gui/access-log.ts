// The GUI's access log as the harness reads it: a file on this host (gui.accessLogPath).
// A file that is not there, or cannot be read, is an infrastructure error naming the
// path: read as empty it would make every check on it pass without checking anything.
import { readFileSync, statSync } from 'node:fs';
import { InfraError } from '../errors.ts';

export interface AccessLogReader {
  path: string;
  /** bytes in the file now */
  size(): number;
  /** the text appended since offset */
  readFrom(offset: number): string;
}

const FIX =
  'point gui.accessLogPath at the file your GUI writes its access log to (its --log-file; the contract default is /log/gui_access.log)';

function failure(path: string, e: unknown): InfraError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
  return new InfraError(`the GUI access log ${path} (gui.accessLogPath) ${why}`, FIX);
}

export function openAccessLog(path: string): AccessLogReader {
  const size = () => {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      throw failure(path, e);
    }
    if (!st.isFile())
      throw new InfraError(`the GUI access log ${path} (gui.accessLogPath) is not a file`, FIX);
    return st.size;
  };
  size();
  return {
    path,
    size,
    readFrom(offset) {
      try {
        return readFileSync(path).subarray(offset).toString('utf8');
      } catch (e) {
        throw failure(path, e);
      }
    },
  };
}
