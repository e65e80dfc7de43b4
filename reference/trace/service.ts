// The trace area of the reference target: a namespace folder whose recorder
// wrote a scripted session under /log/trace/, two snapshots under
// /history/snapshots/ (baseline, and current with one seeded deviation), and a
// cluster of five queens (separate processes) for the consensus cases, and a
// Secure9P server and cohsh console whose actions the recorder receives.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import type { TraceResources } from '../../contract/trace/resources.ts';
import { startQueenCluster } from '../queens/cluster.ts';
import { TraceRecorder } from './recorder.ts';
import { soleDefect } from '../defect-spec.ts';
import { startLiveServices } from './live-services.ts';
import { installValidator } from './validator.ts';
import { sessionEvents, withSeededDeviation, SEEDED_DEVIATION } from './session.ts';

// each part takes one defect: the area's defects declare these parts as their knobs
const QUEEN_DEFECTS = ['consensus-accepts-minority', 'consensus-unsigned-segment', 'consensus-no-fallback'];
const RECORDER_DEFECTS = ['trace-srv-path', 'trace-drops-denials', 'trace-bad-line'];

function writeSnapshot(nsRoot: string, id: string, events: unknown[]): string {
  const nsPath = `/history/snapshots/${id}`;
  const dir = join(nsRoot, 'history', 'snapshots', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'live.log'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return nsPath;
}

export const traceService: ReferenceService = {
  area: 'trace',
  async start(ctx: ServiceContext): Promise<StartedService> {
    const nsRoot = join(ctx.stateDir, 'ns');
    mkdirSync(nsRoot, { recursive: true });
    const traceOut = typeof ctx.areaConfig.traceOut === 'string' ? ctx.areaConfig.traceOut : undefined;
    const recorder = new TraceRecorder({
      nsRoot,
      traceOut,
      defect: soleDefect(ctx.defects, RECORDER_DEFECTS),
    });
    const t0 = Date.now(); // ms since the epoch, as the other reference recorders
    for (const e of sessionEvents(t0)) recorder.record(e);

    // the validator's rule files and logs (/etc/validator/rules/, /log/validator/, /log/validation_rules.log)
    installValidator(nsRoot, { defect: soleDefect(ctx.defects, ['validator-rule-no-window']), t0 });

    // two recordings of the same session: timestamps differ (volatile), one event deviates
    const baseline = writeSnapshot(nsRoot, 'baseline', sessionEvents(t0 - 3_600_000));
    const current = writeSnapshot(nsRoot, 'current', withSeededDeviation(sessionEvents(t0)));
    const seededEvent = sessionEvents(0)[SEEDED_DEVIATION.index]!;

    // the Secure9P server and the console record their actions through the same recorder
    const live = await startLiveServices({
      stateDir: join(ctx.stateDir, 'live'),
      recorder,
      pkiDir: typeof ctx.areaConfig.pkiDir === 'string' ? ctx.areaConfig.pkiDir : undefined,
    });
    const cluster = await startQueenCluster({
      count: 5,
      stateDir: join(ctx.stateDir, 'queens'),
      stateRoot: ctx.stateRoot,
      defect: soleDefect(ctx.defects, QUEEN_DEFECTS),
      signal: ctx.signal,
      // generous for a loaded CI machine (a TLS handshake per message); a delayed peer is injected at 3x this
      voteTimeoutMs: 1000,
      pkiDir: typeof ctx.areaConfig.pkiDir === 'string' ? ctx.areaConfig.pkiDir : undefined,
    }).catch(async (e: unknown) => {
      await live.stop();
      throw e;
    });
    const resources: TraceResources = {
      nsRoot,
      traceDir: traceOut ?? '/log/trace',
      snapshots: {
        baseline,
        current,
        seeded: {
          kind: 'changed',
          agent: seededEvent.agent,
          event: seededEvent.event,
          detail: seededEvent.detail,
          field: SEEDED_DEVIATION.field,
        },
      },
      queens: cluster.resources,
      secure9p: live.secure9p,
      console: live.console,
    };
    return {
      resources: resources as unknown as Record<string, unknown>,
      provenance: { 'trace.queens': String(cluster.resources.queens.length) },
      stop: async () => {
        await Promise.all([cluster.stop(), live.stop()]);
      },
    };
  },
};
