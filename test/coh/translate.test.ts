// Every row of upstream's shell → wire translation table (cohsh-console.md).
import { describe, expect, it } from 'vitest';
import { parseShell } from '../../harness/coh/translate.ts';
import { lifecycleTransition } from '../../harness/coh/lifecycle.ts';

const wire = (t: string) => {
  const c = parseShell(t);
  return 'kind' in c && c.kind === 'wire' ? c.line : c;
};

describe('shell → wire translation', () => {
  it('attach with and without a ticket', () => {
    expect(parseShell('attach queen')).toEqual({ kind: 'attach', role: 'queen' });
    expect(parseShell('attach worker-heartbeat:w1 cohesix-ticket-ab.cd')).toEqual({
      kind: 'attach',
      role: 'worker-heartbeat:w1',
      ticket: 'cohesix-ticket-ab.cd',
    });
  });

  it('log, tail, cat, ls, ping', () => {
    expect(wire('log')).toBe('TAIL /log/queen.log');
    expect(wire('tail /log/queen.log')).toBe('TAIL /log/queen.log');
    expect(wire('cat /proc/boot')).toBe('CAT /proc/boot');
    expect(wire('ls /proc')).toBe('LS /proc');
    expect(wire('ping')).toBe('PING');
  });

  it('echo <text> > <path>, text with spaces and >', () => {
    expect(wire('echo batch-1 > /log/queen.log')).toBe('ECHO /log/queen.log batch-1');
    expect(wire('echo a > b c > /log/x')).toBe('ECHO /log/x a > b c');
  });

  it('spawn, kill, bind, mount as JSON on /queen/ctl', () => {
    expect(wire('spawn heartbeat ticks=5 ttl_s=30')).toBe(
      'ECHO /queen/ctl {"spawn":"heartbeat","ticks":5,"budget":{"ttl_s":30}}',
    );
    expect(wire('kill worker-1')).toBe('ECHO /queen/ctl {"kill":"worker-1"}');
    expect(wire('bind /shard /shadow')).toBe('ECHO /queen/ctl {"bind":{"from":"/shard","to":"/shadow"}}');
    expect(wire('mount gpu-bridge /gpu')).toBe(
      'ECHO /queen/ctl {"mount":{"service":"gpu-bridge","at":"/gpu"}}',
    );
  });

  it('lifecycle, telemetry push, pool bench, quit, detach', () => {
    expect(parseShell('lifecycle cordon')).toEqual({ kind: 'lifecycle', command: 'cordon' });
    expect(parseShell('telemetry push f.txt --device dev-1')).toEqual({
      kind: 'telemetry',
      file: 'f.txt',
      device: 'dev-1',
    });
    expect(parseShell('pool bench path=/log/q ops=4 batch=2 payload=p')).toEqual({
      kind: 'pool',
      options: { path: '/log/q', ops: '4', batch: '2', payload: 'p' },
    });
    expect(parseShell('quit')).toEqual({ kind: 'quit' });
    expect(parseShell('detach')).toEqual({ kind: 'detach' });
  });

  it('says what is wrong with a malformed command', () => {
    expect(parseShell('echo hello')).toEqual({ problem: 'echo needs `echo <text> > <path>`' });
    expect(parseShell('lifecycle explode')).toEqual({
      problem: 'lifecycle needs one of cordon, drain, resume, quiesce, reset',
    });
    expect(parseShell('pool bench path=/x ops=1 batch=1 exhaust=1')).toEqual({
      problem: 'pool bench: option exhaust is documented but this runner does not implement it',
    });
    expect(parseShell('pool bench path=/x ops=many batch=1')).toEqual({
      problem: 'pool bench: ops=many is not a whole number',
    });
  });

  it('checks lifecycle transitions as upstream does', () => {
    expect(lifecycleTransition('ONLINE', 'cordon')).toBe('DRAINING');
    expect(lifecycleTransition('DRAINING', 'drain')).toBe('QUIESCED');
    expect(lifecycleTransition('ONLINE', 'drain')).toBeNull();
    expect(lifecycleTransition('ONLINE', 'resume')).toBeNull();
    expect(lifecycleTransition('QUIESCED', 'resume')).toBe('ONLINE');
    expect(lifecycleTransition('BOOTING', 'reset')).toBeNull();
  });
});
