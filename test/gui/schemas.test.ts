import { describe, expect, it } from 'vitest';
import { judgeGuiDocument, validateGuiSchema } from '../../harness/gui/schemas.ts';
import { staticStatusPayload } from '../../reference/gui/defect-names.ts';

describe('GUI schemas', () => {
  it('accepts a well-formed status and names the path of a bad field', () => {
    expect(validateGuiSchema('gui-status', staticStatusPayload()).ok).toBe(true);
    expect(validateGuiSchema('gui-status-reference', staticStatusPayload()).ok).toBe(true);
    const bad = { ...staticStatusPayload(), workers: 'three', worker_statuses: [{ worker_id: 'w' }] };
    const v = validateGuiSchema('gui-status', bad);
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toMatch(/^workers: expected integer, found "three"/m);
    expect(v.problems.join('\n')).toMatch(/^worker_statuses\[0\]\.role: expected a value \(required\)/m);
  });

  it('the contract accepts the readings it leaves open; the reference schema names them', () => {
    const status = staticStatusPayload() as { worker_statuses: Array<Record<string, unknown>> };
    const other = {
      ...status,
      uptime: '1h2m3s',
      worker_statuses: status.worker_statuses.map(({ gpu: _gpu, ...w }) => ({ ...w, boot_ts: '1700000000' })),
    };
    const j = judgeGuiDocument('gui-status', other);
    expect(j.contract).toEqual([]);
    expect(j.reference.join('\n')).toMatch(/^uptime: expected integer, found "1h2m3s"/m);
    expect(j.reference.join('\n')).toMatch(/^worker_statuses\[0\]\.gpu: expected a value \(required\)/m);
    // where the contract gives a type, it is required on every target
    const wrong = judgeGuiDocument('gui-status', { ...other, generated_at: '1700000000', uptime: -1 });
    expect(wrong.contract.join('\n')).toMatch(/^generated_at: expected integer/m);
    expect(wrong.contract.join('\n')).toMatch(/^uptime: /m);
  });

  it('checks control acks and error bodies', () => {
    expect(validateGuiSchema('gui-control-ack', { status: 'ack' }).ok).toBe(true);
    expect(validateGuiSchema('gui-control-ack', { status: 'ok' }).ok).toBe(false);
    expect(validateGuiSchema('gui-error', { error: 'unknown command' }).ok).toBe(true);
    // the contract says "with an error": a message or a text body is one too
    expect(validateGuiSchema('gui-error', { message: 'unknown command' }).ok).toBe(true);
    expect(validateGuiSchema('gui-error', 'unknown command').ok).toBe(true);
    expect(validateGuiSchema('gui-error', {}).ok).toBe(false);
    expect(validateGuiSchema('gui-error', '  ').ok).toBe(false);
    expect(judgeGuiDocument('gui-error', { message: 'x' }).reference.join('\n')).toMatch(
      /^error: expected a value/m,
    );
  });
});
