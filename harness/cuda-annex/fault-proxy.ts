// A fault-injecting TCP proxy in front of any annex (a user's, named in config):
// the worker dials the proxy, the proxy forwards 9P to the annex. It offers the
// same handle as the reference annex's — stop (refused connects), refuse (reset
// after accept), slow (delay Twrite requests), fail (answer every Twrite with
// Rerror instead of forwarding; the worker writes only /dispatch) — so the suite
// can run its outage cases against an annex it does not control.
import net from 'node:net';
import { encode, peekHeader } from '../ninep/codec.ts';
import { Framer } from '../ninep/framer.ts';
import type { AnnexFaults, AnnexMode } from '../../reference/cuda-annex/annex.ts';

const TWRITE = 118;

export interface FaultProxy {
  host: string;
  port: number;
  endpoint: string;
  faults: AnnexFaults;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const host = '127.0.0.1';
  let mode: AnnexMode = 'up';
  let slowMs = 0;
  let port = 0;
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  const serve = (client: net.Socket): void => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (b) => client.write(b));
    // frames from the worker: Twrite may be delayed or answered with an injected error
    const framer = new Framer(1 << 20);
    let chain = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      const { frames, error } = framer.push(chunk);
      for (const frame of frames) {
        chain = chain.then(async () => {
          const { typeByte, tag } = peekHeader(frame);
          if (typeByte === TWRITE) {
            if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
            if (mode === 'fail') {
              client.write(
                encode({ type: 'Rerror', tag, ename: 'dispatch failed: injected by the fault proxy' }),
              );
              return;
            }
          }
          if (!upstream.destroyed) upstream.write(frame);
        });
      }
      if (error) client.destroy();
    });
  };

  const listen = async (): Promise<void> => {
    const s = net.createServer(serve);
    await new Promise<void>((resolve, reject) => {
      s.once('error', (e) =>
        reject(new Error(`fault proxy could not listen on ${host}:${port}: ${e.message}`)),
      );
      s.listen(port, host, () => resolve());
    });
    port = (s.address() as net.AddressInfo).port;
    server = s;
  };
  const unlisten = async (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();

  const faults: AnnexFaults = {
    async stop() {
      mode = 'down';
      await unlisten();
    },
    async start() {
      mode = 'up';
      if (!server) await listen();
    },
    async refuseConnections() {
      await faults.start();
      mode = 'refuse';
    },
    async failDispatches() {
      await faults.start();
      mode = 'fail';
    },
    slow(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`slow(ms): ms must be >= 0, got ${ms}`);
      slowMs = ms;
    },
    async reset() {
      slowMs = 0;
      await faults.start();
    },
    get mode() {
      return mode;
    },
    get slowMs() {
      return slowMs;
    },
  };
  return {
    host,
    get port() {
      return port;
    },
    get endpoint() {
      return `tcp:${host}:${port}`;
    },
    faults,
    async close() {
      mode = 'down';
      await unlisten();
    },
  };
}
