// The reference target: the project's own implementation of the Cohesix contract, started
// like any target — as processes reached only through their endpoints. One
// `cohesix-qa reference serve --area <area>` child per planned area (serve-child.ts), all
// started at once, so a crash of one area's service ends only that area's cases: the run
// asks `down(area)` when a case fails and reports an infrastructure error naming the
// crash, with the child's stderr (harness/run/vitest-bridge.ts). The services themselves
// run in reference-services.ts inside each child; this process never loads them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError, UsageError } from '../errors.ts';
import { referenceDefects } from './reference-defect-list.ts';
import { areaConfig, type StartedTarget, type TargetStartContext } from './context.ts';
import { referenceServiceAreas } from '../../reference/services.ts';
import { exitText } from './json-line-child.ts';
import { hasExited, startServeChild, type ServeChild } from './serve-child.ts';

/** bound on one serve child's start-up (the boot area boots QEMU inside it) */
const START_MS = 180_000;

export async function startReferenceTarget(ctx: TargetStartContext): Promise<StartedTarget> {
  // an unknown or clashing --defect list is refused before any child starts
  referenceDefects(ctx.defect);
  const served = ctx.areas.filter((a) => referenceServiceAreas.includes(a));
  const logDir = join(ctx.stateRoot, 'runs', ctx.runId);
  mkdirSync(logDir, { recursive: true });
  let stopping = false;
  const crashes = new Map<string, { reason: string; at: number }>();
  const children: ServeChild[] = [];
  const crashText = (c: ServeChild, how: string) =>
    `the reference ${c.area} service crashed: \`cohesix-qa reference serve --area ${c.area}\` (pid ${c.proc.pid}) ${how} during the run; its stderr ended:\n${c.tail()}\n(whole: ${join(logDir, `serve-${c.area}.stderr.log`)})`;
  const watch = (c: ServeChild) =>
    void c.proc.exited.then((r) => {
      if (stopping || ctx.signal.aborted) return;
      const text = crashText(c, `exited (${exitText(r)})`);
      crashes.set(c.area, { reason: text, at: crashes.get(c.area)?.at ?? Date.now() });
      ctx.log('error', text);
    });
  const stop = async () => {
    stopping = true;
    // each child stops its services on SIGTERM; one failing stop must not strand the others
    await Promise.all(children.map((c) => c.proc.stop(10_000)));
  };
  const settled = await Promise.allSettled(
    served.map((area) =>
      startServeChild({
        area,
        defect: ctx.defect,
        config: ctx.loaded.file,
        sections: runSectionsOf(ctx, area),
        stateRoot: ctx.stateRoot,
        runId: ctx.runId,
        cwd: ctx.loaded.baseDir,
        logFile: join(logDir, `serve-${area}.stderr.log`),
        startMs: START_MS,
        signal: ctx.signal,
        log: ctx.log,
      }).then((c) => {
        children.push(c);
        return c;
      }),
    ),
  );
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  if (failures.length > 0) {
    await stop();
    const usage = failures.find((f) => f instanceof UsageError);
    if (usage) throw usage;
    throw new InfraError(`the reference target did not start: ${failures.map((f) => f.message).join('\n')}`);
  }
  children.forEach(watch);
  const resources: Record<string, unknown> = {};
  const provenance: Record<string, string> = {};
  for (const area of ctx.areas) {
    const c = children.find((x) => x.area === area);
    if (c) {
      resources[area] = c.served.areas[area];
      Object.assign(provenance, c.served.provenance ?? {});
    } else {
      const cfg = areaConfig(ctx.loaded, area);
      if (cfg) resources[area] = cfg;
    }
  }
  return {
    descriptor: {
      kind: 'reference',
      name: 'reference',
      ...(ctx.defect ? { defect: ctx.defect } : {}),
      resources,
      provenance,
    },
    down(area) {
      const known = crashes.get(area);
      if (known || stopping) return known;
      // the case's failure can reach us before the child's exit is reaped
      const c = children.find((x) => x.area === area);
      if (!c || !hasExited(c.proc.pid)) return undefined;
      const seen = { reason: crashText(c, 'exited'), at: Date.now() };
      crashes.set(area, seen);
      return seen;
    },
    stop,
  };
}

/** the run's own section of an area (CLI flags laid in), for its serve child */
function runSectionsOf(ctx: TargetStartContext, area: string): Record<string, unknown> | undefined {
  const section = (ctx.loaded.config as Record<string, unknown>)[area];
  return section === undefined ? undefined : { [area]: section };
}
