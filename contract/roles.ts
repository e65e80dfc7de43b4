// The contract's roles, once: a node boots as one (`COHROLE=<role>` on its kernel
// command line), joins the control plane as one and carries one in its SPIFFE
// identity. Policy files and agent names use their snake_case forms.
export const COHESIX_ROLES = [
  'QueenPrimary',
  'RegionalQueen',
  'BareMetalQueen',
  'DroneWorker',
  'InteractiveAiBooth',
  'KioskInteractive',
  'GlassesAgent',
  'SensorRelay',
  'SimulatorTest',
] as const;
export type CohesixRole = (typeof COHESIX_ROLES)[number];
