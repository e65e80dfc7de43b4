import { describe, expect, it } from 'vitest';
import { validateGuiSchema } from '../../harness/gui/schemas.ts';
import { staticStatusPayload } from '../../reference/gui/defect-names.ts';

describe('GUI schemas', () => {
  it('accepts a well-formed status and names the path of a bad field', () => {
    expect(validateGuiSchema('gui-status', staticStatusPayload()).ok).toBe(true);
    const bad = { ...staticStatusPayload(), workers: 'three', worker_statuses: [{ worker_id: 'w' }] };
    const v = validateGuiSchema('gui-status', bad);
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toMatch(/^workers: expected integer, found "three"/m);
    expect(v.problems.join('\n')).toMatch(/^worker_statuses\[0\]\.role: expected a value \(required\)/m);
  });

  it('checks control acks and error bodies', () => {
    expect(validateGuiSchema('gui-control-ack', { status: 'ack' }).ok).toBe(true);
    expect(validateGuiSchema('gui-control-ack', { status: 'ok' }).ok).toBe(false);
    expect(validateGuiSchema('gui-error', { error: 'unknown command' }).ok).toBe(true);
    expect(validateGuiSchema('gui-error', { message: 'x' }).ok).toBe(false);
  });
});
