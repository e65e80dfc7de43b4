// Epic 7: disclosure workflows with SLA tracking; quarterly threat-model reviews recorded in the repository.
import { test, expectNoFindings } from '../../harness/fixtures.ts';

test('the security advisories file matches its schema', ({ governance }) => {
  expectNoFindings(governance.advisories().findings, 'advisory file problem');
});

test('every security advisory met its disclosure SLA', ({ governance }) => {
  expectNoFindings(governance.slaFindings(), 'SLA breach');
});

test('mean time to acknowledge is under 48 h and to remediate under 14 days', ({
  governance,
  measure,
  problems,
}) => {
  const m = governance.meanTimes();
  problems.check(
    m.acknowledged > 0,
    'no security advisory records an acknowledgement, so mean time to acknowledge cannot be judged',
  );
  problems.stopIfAny();
  measure.record({
    name: 'governance.mtta',
    unit: 'h',
    samples: [Number(m.mttaHours.toFixed(2))],
  });
  measure.record({
    name: 'governance.mttr',
    unit: 'd',
    samples: [Number(m.mttrDays.toFixed(2))],
  });
  expectNoFindings(m.findings, 'goal missed');
});

test('the threat model was reviewed within the last quarter', ({ governance }) => {
  expectNoFindings(governance.threatModelFindings(), 'threat-model problem');
});
