// The GUI's access log (contract: --log-file, default /log/gui_access.log). One line
// a request; rate-limit alerts are lines starting with "ALERT". Never logs headers
// or query strings, so neither credentials nor WebSocket tickets reach it. Appends are
// synchronous so a line is on disk before the response that caused it is sent.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export class AccessLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, '');
  }

  request(client: string, method: string, path: string, status: number, ms: number): void {
    this.write(`${new Date().toISOString()} ${client} "${method} ${clean(path)}" ${status} ${ms}ms`);
  }

  rateLimited(client: string, method: string, path: string, limitPerMinute: number): void {
    this.write(
      `ALERT ${new Date().toISOString()} rate-limit client=${client} request="${method} ${clean(path)}" limit=${limitPerMinute}/min status=429`,
    );
  }

  private write(line: string): void {
    appendFileSync(this.path, line + '\n');
  }
}

function clean(path: string): string {
  return path
    .split('?')[0]!
    .replace(/[^\x21-\x7e]/g, '?')
    .slice(0, 200);
}
