// A fault-injecting TCP proxy in front of any annex (a user's, named in config):
// the worker dials the proxy, the proxy forwards 9P to the annex. It offers the
// same handle as the reference annex's — stop (refused connects), refuse (reset
// after accept), slow (delay Twrite requests), fail (answer every Twrite with
// Rerror instead of forwarding; the worker writes only /dispatch) — so the suite
// can run its outage cases against an annex it does not control.
import net from 'node:net';
import { encode, peekHeader } from '../../contract/ninep/codec.ts';
import { Framer } from '../../contract/ninep/framer.ts';
import { listenWithFaults, type AnnexFaults, type FaultState } from './faultable-listener.ts';

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
  const state: FaultState = { mode: 'up', slowMs: 0 };
  const sockets = new Set<net.Socket>();

  const serve = (client: net.Socket): void => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (state.mode === 'refuse') {
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
            if (state.slowMs > 0) await new Promise((r) => setTimeout(r, state.slowMs));
            if (state.mode === 'fail') {
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

  const listener = await listenWithFaults({ label: 'fault proxy', host, port: 0, state, sockets, serve });
  const faults = listener.faults;

  return {
    host,
    get port() {
      return listener.port;
    },
    get endpoint() {
      return `tcp:${host}:${listener.port}`;
    },
    faults,
    close: () => listener.close(),
  };
}
