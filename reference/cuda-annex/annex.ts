// The reference CUDA annex: a 9P2000 server with `/dispatch` (write `run <id>
// <input>` executes the job; a read on the same fid returns `<id> <result>`) and
// `/telemetry` (the contract's GPU telemetry fields, JSON). There is no GPU: the
// "device" is a deterministic computation and simulated telemetry. Tests steer
// availability through the returned `faults` handle, which lives only on the
// object this function returns: nothing in the served protocol can reach it.
import net from 'node:net';
import {
  decode,
  encode,
  encodeStats,
  isRequest,
  peekHeader,
  DMDIR,
  IOHDRSZ,
  NOTAG,
  type Message,
  type Qid,
  type Stat,
} from '../../contract/ninep/codec.ts';
import { Framer } from '../../contract/ninep/framer.ts';
import { computeJob } from './job.ts';
import { parseDispatchLine, resultLine, type GpuTelemetryFile } from '../../contract/cuda-annex/wire.ts';
import { AnnexSwitch } from './fault-switch.ts';

export type { GpuTelemetryFile };

export type { AnnexMode } from './fault-switch.ts';

export interface ReferenceAnnex {
  host: string;
  port: number;
  /** `tcp:<host>:<port>`, what /srv/cuda holds */
  endpoint: string;
  faults: AnnexSwitch;
  /** jobs the annex executed (id → times), so tests can see a job ran remotely once */
  executed: ReadonlyMap<string, number>;
  telemetry(): GpuTelemetryFile;
  close(): Promise<void>;
}

export interface AnnexOptions {
  host?: string;
  port?: number;
  driverVersion?: string;
  memTotal?: number;
}

const QID_ROOT: Qid = { type: 0x80, version: 0, path: 1n };
const FILES = {
  dispatch: { qid: { type: 0, version: 0, path: 2n } as Qid, mode: 0o666 },
  telemetry: { qid: { type: 0, version: 0, path: 3n } as Qid, mode: 0o444 },
} as const;
type FileName = keyof typeof FILES;

interface FidState {
  file?: FileName;
  open?: boolean;
  /** the result of the last run on this fid (what a read of /dispatch returns) */
  result?: Buffer;
}

function stat(name: string, qid: Qid, mode: number, length: number): Stat {
  const t = Math.floor(Date.now() / 1000);
  return {
    type: 0,
    dev: 0,
    qid,
    mode,
    atime: t,
    mtime: t,
    length: BigInt(length),
    name,
    uid: 'annex',
    gid: 'annex',
    muid: 'annex',
  };
}

export async function startReferenceAnnex(opts: AnnexOptions = {}): Promise<ReferenceAnnex> {
  const host = opts.host ?? '127.0.0.1';
  const executed = new Map<string, number>();
  let lastExecNs = 0;
  let busy = 0;
  const memTotal = opts.memTotal ?? 8 * 1024 ** 3;

  const telemetry = (): GpuTelemetryFile => ({
    cuda_present: true,
    driver_version: opts.driverVersion ?? 'reference-annex-1.0',
    mem_total: memTotal,
    mem_free: memTotal - busy * 256 * 1024 ** 2,
    exec_time_ns: lastExecNs,
    fallback_reason: null,
    temperature: 40 + Math.min(busy, 10) * 3,
    gpu_utilization: Math.min(100, busy * 25),
  });

  const serve = (sock: net.Socket): void => {
    faults.track(sock);
    sock.on('error', () => undefined);
    if (faults.mode === 'refuse') {
      sock.resetAndDestroy();
      return;
    }
    let msize = 8192 + IOHDRSZ;
    const framer = new Framer(msize);
    const fids = new Map<number, FidState>();
    const send = (m: Message): void => {
      if (!sock.destroyed) sock.write(encode(m));
    };
    const err = (tag: number, ename: string): void => send({ type: 'Rerror', tag, ename });

    const handle = async (m: Message): Promise<void> => {
      switch (m.type) {
        case 'Tversion':
          msize = Math.min(m.msize, 65536 + IOHDRSZ);
          framer.maxFrame = msize;
          fids.clear();
          return send({ type: 'Rversion', tag: m.tag, msize, version: '9P2000' });
        case 'Tattach':
          if (fids.has(m.fid)) return err(m.tag, 'fid in use');
          fids.set(m.fid, {});
          return send({ type: 'Rattach', tag: m.tag, qid: QID_ROOT });
        case 'Twalk': {
          const from = fids.get(m.fid);
          if (!from || from.open) return err(m.tag, 'bad fid');
          if (m.wnames.length === 0) {
            fids.set(m.newfid, { file: from.file });
            return send({ type: 'Rwalk', tag: m.tag, qids: [] });
          }
          const name = m.wnames[0]!;
          if (from.file || m.wnames.length > 1 || !(name in FILES))
            return err(m.tag, `file does not exist: ${m.wnames.join('/')}`);
          fids.set(m.newfid, { file: name as FileName });
          return send({ type: 'Rwalk', tag: m.tag, qids: [FILES[name as FileName].qid] });
        }
        case 'Topen': {
          const f = fids.get(m.fid);
          if (!f) return err(m.tag, 'bad fid');
          const writing = (m.mode & 3) !== 0;
          if (writing && f.file !== 'dispatch') return err(m.tag, 'permission denied');
          f.open = true;
          const qid = f.file ? FILES[f.file].qid : QID_ROOT;
          return send({ type: 'Ropen', tag: m.tag, qid, iounit: 0 });
        }
        case 'Twrite': {
          const f = fids.get(m.fid);
          if (!f?.open || f.file !== 'dispatch') return err(m.tag, 'bad fid');
          const job = parseDispatchLine(Buffer.from(m.data).toString('utf8'));
          if (!job) return err(m.tag, 'usage: run <id> <input>');
          const started = process.hrtime.bigint();
          busy++;
          try {
            if (faults.slowMs > 0) await new Promise((r) => setTimeout(r, faults.slowMs));
            if (faults.mode === 'fail') return err(m.tag, `dispatch of ${job.id} failed: device error`);
            if (sock.destroyed) return;
            const result = computeJob(job.input);
            executed.set(job.id, (executed.get(job.id) ?? 0) + 1);
            f.result = Buffer.from(resultLine(job.id, result));
            lastExecNs = Number(process.hrtime.bigint() - started);
            return send({ type: 'Rwrite', tag: m.tag, count: m.data.length });
          } finally {
            busy--;
          }
        }
        case 'Tread': {
          const f = fids.get(m.fid);
          if (!f?.open) return err(m.tag, 'bad fid');
          let content: Buffer;
          if (f.file === 'dispatch') {
            if (!f.result) return err(m.tag, 'no job has run on this fid');
            content = f.result;
          } else if (f.file === 'telemetry') {
            content = Buffer.from(JSON.stringify(telemetry()) + '\n');
          } else {
            const entries = (Object.keys(FILES) as FileName[]).map((n) =>
              stat(n, FILES[n].qid, FILES[n].mode, 0),
            );
            content = encodeStats(entries);
          }
          const off = Number(m.offset);
          const data = content.subarray(off, off + Math.min(m.count, msize - IOHDRSZ));
          return send({ type: 'Rread', tag: m.tag, data });
        }
        case 'Tstat': {
          const f = fids.get(m.fid);
          if (!f) return err(m.tag, 'bad fid');
          const s = f.file
            ? stat(f.file, FILES[f.file].qid, FILES[f.file].mode, 0)
            : stat('/', QID_ROOT, DMDIR | 0o555, 0);
          return send({ type: 'Rstat', tag: m.tag, stat: s });
        }
        case 'Tclunk':
          fids.delete(m.fid);
          return send({ type: 'Rclunk', tag: m.tag });
        case 'Tflush':
          return send({ type: 'Rflush', tag: m.tag });
        default:
          return err(m.tag, `${m.type} is not supported by the annex`);
      }
    };

    sock.on('data', (chunk: Buffer) => {
      const { frames, error } = framer.push(chunk);
      for (const frame of frames) {
        let m: Message;
        try {
          m = decode(frame, '9P2000');
        } catch (e) {
          const { tag } = peekHeader(frame);
          err(tag ?? NOTAG, `malformed request: ${(e as Error).message}`);
          continue;
        }
        if (!isRequest(m.type)) {
          err(m.tag, `${m.type} is not a request`);
          continue;
        }
        void handle(m).catch((e: Error) => err(m.tag, `annex error: ${e.message}`));
      }
      if (error) sock.destroy();
    });
  };

  const faults: AnnexSwitch = new AnnexSwitch(host, opts.port ?? 0, serve);
  await faults.open();

  return {
    host,
    get port() {
      return faults.port;
    },
    get endpoint() {
      return `tcp:${host}:${faults.port}`;
    },
    faults,
    executed,
    telemetry,
    close: () => faults.stop(),
  };
}
