// Capability policy loader validation (Epic 1 enabler): every example policy
// validates; each malformed one is rejected with an error naming the file, the
// place and the fix.
import { describe, expect, test } from '../../harness/fixtures.ts';

describe('policy files', () => {
  test('the example policies and the running policy validate', async ({ secure9p }) => {
    const { examples, active } = secure9p.resources.policy;
    expect(examples.length).toBeGreaterThan(0);
    for (const f of examples) {
      const r = secure9p.validatePolicy(f, { checkFiles: false });
      expect(r.ok ? 'valid' : r.message, f).toBe('valid');
    }
    if (active) {
      const r = secure9p.validatePolicy(active);
      expect(r.ok ? 'valid' : r.message, active).toBe('valid');
      if (r.ok)
        expect([...r.policy.agents.keys()].sort()).toEqual([
          'drone_worker',
          'glasses_agent',
          'queen_primary',
          'simulator_test',
        ]);
    }
  });

  test('each malformed policy is rejected with a clear error', async ({ secure9p }) => {
    const { malformed } = secure9p.resources.policy;
    expect(malformed.length).toBeGreaterThan(0);
    for (const m of malformed) {
      const r = secure9p.validatePolicy(m.file);
      expect(r.ok, `${m.file} was accepted`).toBe(false);
      if (!r.ok) {
        expect(r.message, 'the error names the file').toContain(m.file);
        expect(r.message, `the error for ${m.file}`).toContain(m.expect);
        expect(r.message, 'the error says how to fix it').toMatch(/fix: /);
      }
    }
  });
});
