// The reference target's defect registry, for the `defects` command: part of the
// target door (the CLI reaches reference/ only through harness/target/).
export { defects } from '../../reference/defects.ts';
