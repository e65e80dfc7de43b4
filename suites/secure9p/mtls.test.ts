// Mutual TLS: only registered workers (certificates from the Cohesix CA,
// still valid) can mount a Secure9P namespace. (Epic 1, QueenPrimary story.)
import { describe, expect, test } from '../../harness/fixtures.ts';

describe('mutual TLS', () => {
  test('a client without a certificate is refused', async ({ secure9p }) => {
    await expect(
      secure9p.attachRefused('none', 'queen_primary'),
      'a certificate-less client attached',
    ).rejects.toThrow();
  });

  test('a certificate from another CA is refused', async ({ secure9p }) => {
    await expect(
      secure9p.attachRefused('foreign', 'queen_primary'),
      'a foreign-CA client attached',
    ).rejects.toThrow();
  });

  test('an expired certificate is refused', async ({ secure9p }) => {
    await expect(
      secure9p.attachRefused('expired', 'drone_worker'),
      'an expired client attached',
    ).rejects.toThrow();
  });

  test('a valid agent certificate attaches as its agent', async ({ secure9p }) => {
    const fs = await secure9p.attach('drone_worker');
    expect((await fs.readFile('/srv/cohrole')).toString().trim()).toBe('drone_worker');
    expect((await fs.readFile('/srv/agent_meta/trace_id.txt')).toString().trim()).toMatch(/^[0-9a-f]{8}$/);
  });
});
