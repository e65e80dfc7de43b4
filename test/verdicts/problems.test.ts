// The problems helper and the bridge's folding of a case's errors, without a run.
import { describe, expect, it } from 'vitest';
import { createProblems } from '../../harness/fixtures/problems.ts';
import { formatProblems, ProblemsError, showValue } from '../../harness/results/problem.ts';
import { toCaseErrors } from '../../harness/run/vitest-bridge.ts';

describe('the problems helper', () => {
  it('records failed checks, lists, schema issues; need stops with everything so far', () => {
    const p = createProblems();
    expect(p.check(true, 'never')).toBe(true);
    expect(p.check(false, () => 'q4 did not sign', { expected: 'a signature', found: null })).toBe(false);
    expect(p.none(['a', 'b'], (x) => `${x} is misplaced`)).toBe(false);
    expect(p.schema([{ path: '/uptime', expected: 'integer', actual: 'string' }], '/api/status')).toBe(false);
    expect(p.list.map((x) => x.message)).toEqual([
      'q4 did not sign',
      'a is misplaced',
      'b is misplaced',
      '/api/status does not match its schema',
    ]);
    expect(p.list[0]).toMatchObject({ expected: 'a signature', found: 'null' });
    expect(p.list[3]).toMatchObject({ path: '/uptime', expected: 'integer', found: 'string' });
    let thrown: unknown;
    try {
      p.need(undefined, 'no layout configured');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProblemsError);
    expect((thrown as ProblemsError).problems).toHaveLength(5);
    // what was thrown is not thrown again at teardown
    expect(p.pending()).toEqual([]);
    p.add('later');
    expect(p.pending().map((x) => x.message)).toEqual(['later']);
  });

  it('shows values compactly and formats one or many problems', () => {
    expect(showValue('x')).toBe('x');
    expect(showValue(undefined)).toBe('nothing');
    expect(showValue({ a: [1] })).toBe('{"a":[1]}');
    expect(showValue('y'.repeat(400))).toHaveLength(300);
    expect(formatProblems([{ message: 'one', path: '/a', expected: 'b', found: 'c' }])).toBe(
      'one\n  at /a · expected b · found c',
    );
    expect(formatProblems([{ message: 'one' }, { message: 'two' }])).toBe('2 problems:\n- one\n- two');
  });
});

describe('the bridge keeps every error of a case', () => {
  const root = '/p';
  const stack = (file: string, line: number) => [{ file: `/p/${file}`, line, column: 1 }];
  it('expands problem lists, keeps soft assertions, lists a repeated teardown error once', () => {
    const listed = {
      name: 'ProblemsError',
      message: '2 problems',
      stack: 'S',
      stacks: stack('harness/fixtures/problems.ts', 9),
      problems: [
        { message: 'first', location: { file: '/p/suites/a/x.test.ts', line: 3 } },
        { message: 'second' },
      ],
    };
    const e = toCaseErrors(
      root,
      [
        { name: 'AssertionError', message: 'soft one', stacks: stack('suites/a/x.test.ts', 7) },
        listed,
        { ...listed },
      ],
      'suites/a/x.test.ts',
    );
    expect(e.problems!.map((p) => p.message)).toEqual(['soft one', 'first', 'second']);
    expect(e.problems![1]!.location).toEqual({ file: 'suites/a/x.test.ts', line: 3 });
    expect(e.message).toContain('3 problems:');
    expect(e.location).toMatchObject({ file: 'suites/a/x.test.ts', line: 7 });
  });

  it('an infrastructure error beside a product problem is a product failure; a crash names its kind', () => {
    const both = toCaseErrors(root, [
      { name: 'InfraError', message: 'the board did not answer' },
      { name: 'ProblemsError', message: 'x', problems: [{ message: 'the role is wrong' }] },
    ]);
    expect(both.name).toBe('ProblemsError');
    expect(toCaseErrors(root, [{ name: 'InfraError', message: 'port taken' }]).name).toBe('InfraError');
    const crash = toCaseErrors(root, [{ name: 'TypeError', message: 'x is not a function' }]);
    expect(crash.problems![0]!.message).toBe('TypeError: x is not a function');
  });
});
