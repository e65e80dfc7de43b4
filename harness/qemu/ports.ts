// Free TCP ports for QEMU chardevs and forwarded services. The kernel picks a
// free port (listen on 0); this process never hands the same port out twice
// while it is reserved, so parallel instances in one run cannot clash. Another
// process may still grab it before QEMU binds: the instance reports that bind
// failure as an infrastructure error naming the port.
import { createServer } from 'node:net';

const reserved = new Set<number>();

export async function allocatePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, host, () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => resolve(p));
      });
    });
    if (port && !reserved.has(port)) {
      reserved.add(port);
      return port;
    }
  }
  throw new Error(`could not allocate a free TCP port on ${host} after 20 attempts`);
}

export function releasePort(port: number): void {
  reserved.delete(port);
}
