// One thing wrong with a deployment manifest or Terraform module: where (file and a
// JSON-pointer-like path inside it), which rule, and what was expected versus found.
export interface Finding {
  file: string;
  path: string;
  rule:
    | 'parse'
    | 'k8s-schema'
    | 'kind'
    | 'qemu-missing'
    | 'qemu-privileged'
    | 'qemu-memory'
    | 'qemu-kernel'
    | 'qemu-append-role'
    | 'tf-missing-resource';
  message: string;
}

export function formatFinding(f: Finding): string {
  return `${f.file}${f.path ? ` ${f.path}` : ''}: [${f.rule}] ${f.message}`;
}
