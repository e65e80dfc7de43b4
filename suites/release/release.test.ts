// A Cohesix release bundle, judged as release engineers gate it: the bundle
// matches its manifest, boots to the console within its platform's budget
// with the milestones in order and no fault lines, and its TCP console
// (cohsh) behaves as documented. The cooldown case runs last: it locks the
// console out for the cooldown.
import { describe, test } from '../../harness/fixtures.ts';

describe('release: bundle', () => {
  test('every manifest entry matches its file in the CPIO archive, and image/rootserver is the archived root task', ({
    release,
    evidence,
    problems,
  }) => {
    const m = release.resources.boot.manifest;
    evidence.attach('manifest-check.json', JSON.stringify(m, null, 2));
    problems.none(m.mismatches, (x) => `the bundle does not match its manifest: ${x.message}`);
    problems.check(m.checked > 0, 'manifest.json lists no binaries: nothing in the archive was checked');
  });
});

describe('release: boot', () => {
  test('boots to the console within the platform budget, milestones in order, no fault lines', ({
    release,
    evidence,
    measure,
    problems,
  }) => {
    const r = release.resources;
    const b = r.boot;
    evidence.attach('timeline.txt', `${release.timelineText()}\n\n${r.emulation ?? ''}`);
    evidence.attach('qemu-command.txt', b.command);
    evidence.attach('serial.txt', b.lines.join('\n'));
    const t = b.timeline;
    measure.record({
      name: `release boot to ${r.bootStage} (${r.platform})`,
      unit: 'ms',
      samples: t.bootMs !== undefined ? [t.bootMs] : [],
      budgetMs: r.budgetMs,
      statistic: 'max',
      detail: {
        stages: t.stages
          .filter((s) => s.hostMs !== undefined)
          .map((s) => ({
            name: s.name,
            hostMs: s.hostMs!,
            budgetMs: s.name === r.bootStage ? r.budgetMs : undefined,
          })),
      },
    });
    problems.check(
      b.booted,
      () => `the bundle did not boot to ${r.bootStage}: ${b.error ?? 'no reason given'}`,
    );
    problems.none(b.faults, (f) => `a fault line was printed at serial line ${f.lineIndex}: ${f.text}`);
    const unseen = t.stages.filter((s) => !s.seen).map((s) => s.name);
    problems.check(
      unseen.length === 0,
      () => `boot milestones never seen on the serial line: ${unseen.join(', ')}`,
      {
        expected: t.stages.map((s) => s.name).join(' → '),
        found:
          t.stages
            .filter((s) => s.seen)
            .map((s) => s.name)
            .join(' → ') || 'none',
      },
    );
    problems.none(
      t.orderViolations,
      (v) => `boot milestones out of order: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
    if (t.bootMs !== undefined)
      problems.check(
        t.bootMs <= r.budgetMs,
        `boot to ${r.bootStage} took ${t.bootMs.toFixed(1)} ms, over the ${r.platform} budget of ${r.budgetMs} ms`,
        { expected: `≤ ${r.budgetMs} ms`, found: `${t.bootMs.toFixed(1)} ms` },
      );
  });
});

describe('release: console', () => {
  test('AUTH with the right token is accepted', async ({ release, releaseConsole, problems }) => {
    const c = await releaseConsole.connect();
    const ok = await c.auth(release.resources.console!.token);
    problems.check(ok.line === 'OK AUTH', 'AUTH with the configured token is accepted with OK AUTH', {
      expected: 'OK AUTH',
      found: ok.line,
    });
  });

  test('AUTH with a wrong token is refused (documented reply or closed connection)', async ({
    releaseConsole,
    evidence,
    problems,
  }) => {
    const c = await releaseConsole.connect();
    const outcome = await c.auth('not-the-token').then(
      (r) => `accepted: ${r.line}`,
      (e: Error & { reason?: string }) =>
        e.name === 'CohshError'
          ? `documented reply: ${e.message}`
          : e.name === 'CohshClosedError'
            ? 'closed connection'
            : `other: ${e.message}`,
    );
    evidence.attach('wrong-token-outcome.txt', outcome);
    problems.check(
      /^(documented reply: .*ERR AUTH reason=(expected-token|invalid-length|invalid-token)|closed connection)/.test(
        outcome,
      ),
      'AUTH with a wrong token is refused: ERR AUTH with a documented reason, or the connection closed',
      {
        expected: 'ERR AUTH reason=expected-token|invalid-length|invalid-token, or a closed connection',
        found: outcome,
      },
    );
  });

  test('an oversized frame is answered ERR FRAME and the session stays open', async ({
    releaseConsole,
    problems,
  }) => {
    const c = await releaseConsole.attached('queen');
    c.sendOversized(300);
    const reply = await c
      .readLine('the reply to an oversized frame')
      .catch((e: Error) => `no reply: ${e.message}`);
    problems.check(
      reply === 'ERR FRAME reason=invalid-length',
      'a 300-byte frame is answered ERR FRAME reason=invalid-length',
      { expected: 'ERR FRAME reason=invalid-length', found: reply },
    );
    await c.ping();
  });

  test('ATTACH queen works and PING answers PONG', async ({ releaseConsole, problems }) => {
    const c = await releaseConsole.attached('queen');
    await c.ping();
    const log = await c.tail('/log/queen.log');
    problems.check(log.length > 0, 'TAIL /log/queen.log as the queen streams at least one line', {
      expected: 'one line or more',
      found: 'no lines',
    });
  });

  test("CAT /proc/boot is a release boot summary (schema-checked) whose manifest.sha256 the bundle's policy files carry", async ({
    release,
    releaseConsole,
    evidence,
    problems,
  }) => {
    const c = await releaseConsole.attached('queen');
    const boot = release.procBoot(await c.cat('/proc/boot'));
    evidence.attach('proc-boot.json', JSON.stringify(boot, null, 2));
    problems.none(
      boot.problems,
      (p) => `/proc/boot (judged by its ${boot.source}) is not a release boot summary: ${p}`,
    );
    problems.stopIfAny();
    const drift = release.policyDrift(boot.fields['manifest.sha256']!);
    problems.none(
      drift,
      (d) => `the root-task manifest hash differs between /proc/boot and the bundle: ${d}`,
    );
  });

  test('a heartbeat worker sees only /proc/boot, its own telemetry and /log/queen.log', async ({
    release,
    releaseConsole,
    unconfigured,
    problems,
  }) => {
    const w =
      release.resources.worker ??
      unconfigured('release.worker', 'no heartbeat worker configured: set release.worker { id, ticket }');
    const c = await releaseConsole.attached(`worker-heartbeat:${w.id}`, w.ticket);
    const outcome = async (p: () => Promise<unknown>): Promise<string> =>
      p().then(
        () => 'allowed',
        (e: Error & { reason?: string }) =>
          e.name === 'CohshError' ? `denied (${e.reason})` : `error: ${e.message}`,
      );
    const seen = {
      '/proc/boot': await outcome(() => c.cat('/proc/boot')),
      [`/worker/${w.id}/telemetry`]: await outcome(() => c.cat(`/worker/${w.id}/telemetry`)),
      '/log/queen.log': await outcome(() => c.cat('/log/queen.log')),
      '/queen/ctl': await outcome(() => c.cat('/queen/ctl')),
      '/worker/worker-2/telemetry': await outcome(() => c.cat('/worker/worker-2/telemetry')),
      'ECHO /queen/ctl': await outcome(() => c.echo('/queen/ctl', '{"spawn":"heartbeat","ticks":1}')),
      'ECHO /log/queen.log': await outcome(() => c.echo('/log/queen.log', 'worker was here')),
    };
    const mayUse = new Set(['/proc/boot', `/worker/${w.id}/telemetry`, '/log/queen.log']);
    for (const [what, got] of Object.entries(seen)) {
      const allowed = mayUse.has(what);
      problems.check(
        allowed ? got === 'allowed' : got.startsWith('denied'),
        `a heartbeat worker ${allowed ? 'may use' : 'must be denied'} ${what}`,
        { expected: allowed ? 'allowed' : 'denied (ERR … reason=…)', found: got },
      );
    }
  });

  test('repeated AUTH failures start the cooldown: connections are refused or answered RateLimited', async ({
    release,
    releaseConsole,
    evidence,
    problems,
  }) => {
    const { failureLimit, cooldownMs } = release.resources.cooldown;
    // the releaseConsole fixture skips this case when there is no console
    const token = release.resources.console!.token;
    const log: string[] = [];
    for (let i = 0; i < failureLimit; i++) {
      const c = await releaseConsole.connect().catch((e: Error) => e);
      if (c instanceof Error) {
        log.push(`attempt ${i + 1}: connect failed: ${c.message}`);
        break;
      }
      const r = await c.auth('wrong-token').then(
        (x) => x.line,
        (e: Error) => `${e.name}: ${e.message}`,
      );
      log.push(`attempt ${i + 1}: ${r}`);
      c.close();
    }
    // now, with the right token, the console must refuse in one of the documented ways
    const during = release.cooldownOutcome(
      await releaseConsole.connect().then(
        (c) => c.auth(token).catch((e: Error) => e),
        (e: Error) => e,
      ),
    );
    log.push(
      `right token during the cooldown: ${during.seen}`,
      `documented outcome seen: ${during.refused ? during.how : 'none'}`,
    );
    evidence.attach('cooldown.txt', log.join('\n') + '\n');
    problems.check(
      during.refused,
      `after ${failureLimit} failed AUTHs the console should refuse the connection or answer ERR … RateLimited; it ${during.seen}`,
      { expected: 'a refused connection or ERR … RateLimited', found: during.seen },
    );
    problems.stopIfAny();
    // a short cooldown (the reference's) is waited out: the console must accept again
    if (cooldownMs <= 10_000) {
      await new Promise((r) => setTimeout(r, cooldownMs + 200));
      const after = await releaseConsole.connect().then(
        (c) =>
          c.auth(token).then(
            (x) => x.line,
            (e: Error) => e.message,
          ),
        (e: Error) => e.message,
      );
      problems.check(
        after === 'OK AUTH',
        `after the ${cooldownMs} ms cooldown the console should accept the right token again; it answered ${after}`,
        { expected: 'OK AUTH', found: after },
      );
    }
  }, 30_000);
});
