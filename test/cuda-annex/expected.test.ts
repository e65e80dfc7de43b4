import { describe, expect, it } from 'vitest';
import { expectedJobResult } from '../../harness/cuda-annex/expected.ts';
import { computeJob } from '../../reference/cuda-annex/job.ts';

describe('the checker computes CUDA job results on its own', () => {
  it('matches the published SHA-256 test vectors (first 16 hex digits)', () => {
    // FIPS 180-2 / well-known vectors, not values produced by either side's code
    expect(expectedJobResult('abc')).toBe('ba7816bf8f01cfea');
    expect(expectedJobResult('')).toBe('e3b0c44298fc1c14');
    expect(expectedJobResult('hello')).toBe('2cf24dba5fb0a30e');
  });

  it('agrees with the reference annex on inputs the suite sends (both sides right, not shared)', () => {
    for (const input of ['a', 'job-17 payload', 'ünïcödé', 'x'.repeat(4096)])
      expect(expectedJobResult(input), input).toBe(computeJob(input));
  });
});
