// The reference half of an area's manifest: the service the reference target starts
// for the area and the defect modes it can be put in. The harness half (fixtures,
// config schema, CLI commands) is harness/areas/<area>.ts; both are keyed by the
// area's name, and test/architecture/areas.test.ts checks they name the same areas.
import type { ReferenceService } from '../harness/target/types.ts';
import type { DefectSpec } from './defect-spec.ts';

export interface ReferenceArea {
  /** the suite area, e.g. "governance" (the service's `area` too) */
  name: string;
  /** loads the service: a `reference serve --area` child loads only its own area's code */
  service: () => Promise<ReferenceService>;
  /** the defect modes of this area's reference implementation (none is fine) */
  defects: readonly DefectSpec[];
}
