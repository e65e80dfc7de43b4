// The reference console grown to the documented one (cohsh-console.md): every
// exchange the spec records, the lifecycle machine, telemetry push segments,
// the /proc/tests scripts, and the console defect switches.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { CohshClient } from '../../harness/cohsh/client.ts';
import { CohshError } from '../../harness/cohsh/errors.ts';
import type { ConsoleServerOptions } from '../../reference/release/console-server.ts';
import { checkTransition, LIFECYCLE_STATES } from '../../reference/release/lifecycle.ts';
import { PROC_TESTS_DIR, procTestNodes } from '../../reference/release/nodes.ts';
import { mintTicket } from '../../reference/release/tickets.ts';
import { connect, errOf, secret, serve } from './console-setup.ts';

async function queen(o: Partial<ConsoleServerOptions> = {}): Promise<CohshClient> {
  const c = await connect(await serve(o));
  await c.auth('changeme');
  await c.attach('queen');
  return c;
}

/** the ack line of a request and the streamed lines up to END */
async function exchange(c: CohshClient, line: string): Promise<{ ack: string; lines: string[] }> {
  const ack = await c.request(line).then(
    (r) => r.line,
    (e: Error) => (e instanceof CohshError ? e.reply.line : Promise.reject(e)),
  );
  const lines: string[] = [];
  if (ack.startsWith('OK') && /^(LS|CAT|TAIL)\b/.test(line))
    for (let l = await c.readLine('END'); l !== 'END'; l = await c.readLine('END')) lines.push(l);
  return { ack, lines };
}

describe('reference console: the recorded exchanges', () => {
  it('LS answers entries=N then the names, in the order a release lists them', async () => {
    const c = await queen();
    expect(await exchange(c, 'LS /proc')).toEqual({
      ack: 'OK LS path=/proc entries=7',
      lines: ['boot', 'tests', 'lifecycle', '9p', 'ingest', 'root', 'pressure'],
    });
    expect((await exchange(c, 'LS /')).lines).toEqual(
      'gpu kmesg log proc queen trace updates shard worker host'.split(' '),
    );
    expect((await exchange(c, 'LS /host')).lines).toEqual(['systemd', 'k8s', 'docker', 'nvidia']);
    expect((await exchange(c, 'LS /nowhere')).ack).toBe(
      'ERR LS reason=policy detail=invalid-path path=/nowhere error=invalid path',
    );
  });

  it('CAT acks with the |-joined summary; a log streams nothing and the client says it used the summary', async () => {
    const c = await queen();
    expect(await exchange(c, 'CAT /proc/9p/session/active')).toEqual({
      ack: 'OK CAT path=/proc/9p/session/active data=active=1 draining=0',
      lines: ['active=1 draining=0'],
    });
    const boot = await exchange(c, 'CAT /proc/boot');
    expect(boot.ack).toMatch(
      /^OK CAT path=\/proc\/boot data=Cohesix boot: root-task online\|manifest\.schema=1\.5\|/,
    );
    expect(Buffer.byteLength(boot.ack)).toBeLessThanOrEqual(256);
    expect(boot.lines).toContain('event_pump.fds=serial,timer,ipc,net-console,ninedoor');
    expect((await exchange(c, 'ECHO /log/queen.log batch-1')).ack).toBe(
      'OK ECHO path=/log/queen.log bytes=7',
    );
    const log = await exchange(c, 'CAT /log/queen.log');
    expect(log.lines).toEqual([]);
    expect(log.ack).toMatch(/\|batch-1$/);
    const read = await c.catDetailed('/log/queen.log');
    expect(read.source).toBe('summary');
    expect(read.lines.at(-1)).toBe('batch-1');
  });

  it('answers a path outside the namespace in the full ERR form', async () => {
    const c = await queen();
    expect((await exchange(c, 'CAT /proc/ingest/unsupported')).ack).toBe(
      'ERR CAT reason=policy detail=invalid-path path=/proc/ingest/unsupported error=invalid path',
    );
  });

  it('checks /queen/ctl JSON: kill and spawn accepted, mount and malformed lines refused', async () => {
    const c = await queen();
    expect((await exchange(c, 'ECHO /queen/ctl {"kill":"worker-1"}')).ack).toBe(
      'OK ECHO path=/queen/ctl bytes=19',
    );
    expect(
      (await exchange(c, 'ECHO /queen/ctl {"spawn":"heartbeat","ticks":5,"budget":{"ttl_s":30}}')).ack,
    ).toMatch(/^OK ECHO/);
    expect((await exchange(c, 'ECHO /queen/ctl {"bind":{"from":"/shard","to":"/shadow"}}')).ack).toMatch(
      /^OK ECHO/,
    );
    expect((await exchange(c, 'ECHO /queen/ctl {"mount":{"service":"gpu-bridge","at":"/gpu"}}')).ack).toBe(
      'ERR ECHO reason=policy detail=invalid-path path=/queen/ctl error=invalid path',
    );
    expect((await exchange(c, 'ECHO /queen/ctl {not json')).ack).toMatch(
      /^ERR ECHO reason=parse detail=invalid-json path=\/queen\/ctl error=/,
    );
    expect((await exchange(c, 'ECHO /queen/ctl {"spawn":"heartbeat","ticks":-1}')).ack).toMatch(
      /detail=invalid-ticks/,
    );
    expect((await exchange(c, 'ECHO /queen/ctl {"fly":1}')).ack).toMatch(/detail=unknown-command/);
  });

  it('quit answers OK QUIT and the console closes the connection', async () => {
    const c = await queen();
    expect((await c.quit()).line).toBe('OK QUIT');
    expect(c.closed).toBe(true);
  });

  it('serves the observability files as key=value lines', async () => {
    const c = await queen();
    const read = async (p: string): Promise<string> => (await c.cat(p)).join('\n');
    expect(await read('/proc/root/reachable')).toBe('reachable=1');
    expect(await read('/proc/root/cut_reason')).toBe('cut_reason=none');
    expect(await read('/proc/root/last_seen_ms')).toMatch(/^last_seen_ms=\d+$/);
    for (const k of ['busy', 'quota', 'cut', 'policy'])
      expect(await read(`/proc/pressure/${k}`)).toMatch(new RegExp(`^${k}=\\d+$`));
    expect(await read('/proc/ingest/watch')).toMatch(
      /^watch ts_ms=\d+ p50_ms=\d+ p95_ms=\d+ queued=\d+ backpressure=\d+ dropped=\d+$/,
    );
  });

  it('serves every .coh file of reference/release/proc-tests under /proc/tests', async () => {
    const files = readdirSync(PROC_TESTS_DIR)
      .filter((n) => n.endsWith('.coh'))
      .sort();
    expect(files.length, 'reference/release/proc-tests holds no .coh script').toBeGreaterThan(0);
    const c = await queen();
    expect((await exchange(c, 'LS /proc/tests')).lines).toEqual(files);
    expect((await c.cat(`/proc/tests/${files[0]}`)).some((l) => /^attach /.test(l))).toBe(true);
  });
});

describe('reference console: the /proc/tests folder', () => {
  it('names the folder and the fix when it cannot be listed', () => {
    expect(() => procTestNodes('/nonexistent/proc-tests')).toThrow(
      /cannot list the \/proc\/tests scripts in \/nonexistent\/proc-tests .*restore the folder/,
    );
  });
});

describe('reference console: lifecycle', () => {
  it('follows the transition table: cordon, drain, resume, reset; refuses an invalid one', async () => {
    const c = await queen();
    const state = async (): Promise<string> => (await c.cat('/proc/lifecycle/state'))[0]!;
    expect(await state()).toBe('state=ONLINE');
    expect((await exchange(c, 'ECHO /queen/lifecycle/ctl drain')).ack).toBe(
      'ERR ECHO reason=invalid-transition detail=drain path=/queen/lifecycle/ctl error=cannot drain from ONLINE',
    );
    expect(await state()).toBe('state=ONLINE');
    for (const [cmd, want] of [
      ['cordon', 'DRAINING'],
      ['drain', 'QUIESCED'],
      ['resume', 'ONLINE'],
      ['reset', 'BOOTING'],
      ['resume', 'ONLINE'],
    ]) {
      expect((await exchange(c, `ECHO /queen/lifecycle/ctl ${cmd}`)).ack).toMatch(/^OK ECHO/);
      expect(await state()).toBe(`state=${want}`);
    }
    expect((await c.cat('/proc/lifecycle/reason'))[0]).toBe('reason=ctl-resume');
    expect((await exchange(c, 'ECHO /queen/lifecycle/ctl explode')).ack).toMatch(
      /reason=parse detail=unknown-command/,
    );
  });

  it('the transition table: resume from anything but ONLINE, reset from anything but BOOTING', () => {
    for (const s of LIFECYCLE_STATES) {
      expect(checkTransition(s, 'resume').ok).toBe(s !== 'ONLINE');
      expect(checkTransition(s, 'reset').ok).toBe(s !== 'BOOTING');
      expect(checkTransition(s, 'drain').ok).toBe(s === 'DRAINING');
    }
  });

  it('the lifecycle-accepts-invalid defect acknowledges an invalid transition', async () => {
    const c = await queen({ defects: { lifecycleAcceptsInvalid: true } });
    expect((await exchange(c, 'ECHO /queen/lifecycle/ctl drain')).ack).toMatch(/^OK ECHO/);
  });
});

describe('reference console: telemetry push', () => {
  it('opens segments, names the latest, takes records with seq from 1 and refuses bad ones', async () => {
    const c = await queen();
    const ctl = 'ECHO /queen/telemetry/dev-1/ctl {"new":"segment","mime":"text/plain"}';
    expect((await exchange(c, ctl)).ack).toMatch(/^OK ECHO/);
    expect(await exchange(c, 'CAT /queen/telemetry/dev-1/latest')).toEqual({
      ack: 'OK CAT path=/queen/telemetry/dev-1/latest data=seg-000001',
      lines: ['seg-000001'],
    });
    const rec = (seq: number, mime = 'text/plain'): string =>
      `ECHO /queen/telemetry/dev-1/seg/seg-000001 {"schema":"cohsh-telemetry-push/v1","seq":${seq},"mime":"${mime}","payload":"hello"}`;
    expect((await exchange(c, rec(1))).ack).toMatch(/^OK ECHO/);
    expect((await exchange(c, rec(1))).ack).toMatch(/reason=parse detail=invalid-seq/);
    expect((await exchange(c, rec(2, 'application/json'))).ack).toMatch(/detail=invalid-mime/);
    expect((await exchange(c, 'LS /queen/telemetry/dev-1')).lines).toEqual(['ctl', 'latest', 'seg']);
    await exchange(c, ctl);
    expect((await c.cat('/queen/telemetry/dev-1/latest'))[0]).toBe('seg-000002');
    expect((await exchange(c, 'CAT /queen/telemetry/dev-9/latest')).ack).toMatch(/detail=invalid-path/);
  });
});

describe('reference console: defect switches and visibility', () => {
  it('console-cat-summary puts only the first line in data=', async () => {
    const c = await queen({ defects: { catSummaryFirstLine: true } });
    expect((await exchange(c, 'CAT /proc/boot')).ack).toBe(
      'OK CAT path=/proc/boot data=Cohesix boot: root-task online',
    );
  });

  it('console-stuck-after-session outlasts the whole retry bound after a dropped session', async () => {
    const s = await serve({ defects: { stuckAfterSession: true } });
    const first = await connect(s);
    await first.auth('changeme');
    first.close();
    await new Promise((r) => setTimeout(r, 20));
    const c = await connect(s, { retry: { attempts: 3, firstMs: 20, capMs: 40, totalMs: 500 } });
    const e = await errOf(c.auth('changeme'));
    expect(e.message).toMatch(/connection reset .*gave up after 3 of at most 3 attempts/);
  });

  it('a worker may not list directories', async () => {
    const c = await connect(await serve());
    await c.auth('changeme');
    await c.attach('worker-heartbeat:w1', mintTicket(secret, 'worker-heartbeat', 'w1'));
    expect((await exchange(c, 'LS /proc')).ack).toBe(
      'ERR LS reason=permission path=/proc error=permission denied',
    );
  });
});
