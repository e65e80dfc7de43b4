// Interoperability with a third-party 9P2000.L server: Debian's diod.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startDiod, type DiodServer } from '../../harness/ninep/diod.ts';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import { NinepRemoteError } from '../../contract/ninep/errors.ts';

let diod: DiodServer;
let client: NinepClient;
let fs: NinepFs;

beforeAll(async () => {
  diod = await startDiod();
  client = await NinepClient.connect({
    transport: 'tcp',
    host: diod.host,
    port: diod.port,
    dialect: '9P2000.L',
    msize: 65536 + 24,
    timeoutMs: 5000,
  });
  fs = await NinepFs.attach(client, { uname: 'root', aname: diod.exportDir });
}, 20_000);

afterAll(async () => {
  client?.close();
  await diod?.stop();
});

describe('our client against diod (9P2000.L)', () => {
  it('negotiates msize down to what diod offers', () => {
    expect(client.msize).toBeLessThanOrEqual(65536 + 24);
    expect(client.msize).toBeGreaterThanOrEqual(8192);
  });

  it('reads a file diod serves, larger than one msize', async () => {
    const data = randomBytes(300_000);
    writeFileSync(join(diod.exportDir, 'big.bin'), data);
    const got = await fs.readFile('/big.bin');
    expect(got.equals(data)).toBe(true);
  });

  it('a streamed read with transient pieces (receive memory reused) delivers every byte, then readFile still does', async () => {
    // 6 MiB: several receive slabs, each reused after its pieces were handed back
    const data = randomBytes(6 * 1024 * 1024 + 12_345);
    writeFileSync(join(diod.exportDir, 'stream.bin'), data);
    const f = await fs.open('/stream.bin', 'r');
    let same = true;
    const n = await fs.readChunks(
      f,
      (b, off) => {
        if (!b.equals(data.subarray(off, off + b.length))) same = false;
      },
      { window: 8, transient: true },
    );
    await fs.clunk(f.fid);
    expect(n).toBe(data.length);
    expect(same).toBe(true);
    expect((await fs.readFile('/stream.bin')).equals(data)).toBe(true);
  });

  it('writes a new file and an existing one, seen on disk', async () => {
    const data = randomBytes(150_000);
    await fs.writeFile('/new.bin', data);
    expect(readFileSync(join(diod.exportDir, 'new.bin')).equals(data)).toBe(true);
    await fs.writeFile('/new.bin', 'short');
    expect(readFileSync(join(diod.exportDir, 'new.bin'), 'utf8')).toBe('short');
  });

  it('mkdir, list, stat and remove', async () => {
    await fs.mkdir('/dir1');
    await fs.writeFile('/dir1/a.txt', 'aaa');
    await fs.writeFile('/dir1/b.txt', 'bb');
    const names = (await fs.list('/dir1')).map((e) => e.name).sort();
    expect(names).toEqual(['a.txt', 'b.txt']);
    const st = await fs.stat('/dir1/a.txt');
    expect(st).toMatchObject({ name: 'a.txt', isDir: false, length: 3n });
    expect((await fs.stat('/dir1')).isDir).toBe(true);
    await fs.remove('/dir1/a.txt');
    await fs.remove('/dir1/b.txt');
    await fs.remove('/dir1');
    expect(existsSync(join(diod.exportDir, 'dir1'))).toBe(false);
  });

  it('a missing file is an Rlerror ENOENT, and leaves no fid behind', async () => {
    const before = client.liveFids.size;
    const e = await fs.readFile('/nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NinepRemoteError);
    expect((e as NinepRemoteError).errno).toBe(2);
    expect(client.liveFids.size).toBe(before);
  });

  it('many concurrent requests are multiplexed on one connection', async () => {
    for (let i = 0; i < 8; i++) writeFileSync(join(diod.exportDir, `c${i}.txt`), `content ${i}`);
    const got = await Promise.all(Array.from({ length: 8 }, (_, i) => fs.readFile(`/c${i}.txt`)));
    expect(got.map((b) => b.toString())).toEqual(Array.from({ length: 8 }, (_, i) => `content ${i}`));
  });

  it('a walk deeper than 16 elements works across several Twalks', async () => {
    const parts = Array.from({ length: 18 }, (_, i) => `d${i}`);
    let p = '';
    for (const d of parts) {
      p += '/' + d;
      await fs.mkdir(p);
    }
    await fs.writeFile(p + '/deep.txt', 'deep');
    expect((await fs.readFile(p + '/deep.txt')).toString()).toBe('deep');
  });
});
