// Error classes that decide how a failure is counted. Their `name` survives
// vitest's serialization from worker to main process, which is how the result
// stream tells an infrastructure error (exit 3) from a product failure (exit 1).

/** The environment, not the product, failed: a tool missing, a port taken, a target that would not start. */
export class InfraError extends Error {
  override name = 'InfraError';
  constructor(
    message: string,
    /** what to do about it, e.g. "apt-get install qemu-system-arm" */
    readonly fix?: string,
  ) {
    super(fix ? `${message}\n  fix: ${fix}` : message);
  }
}

/** A usage or configuration problem (exit 2): names the place, what was expected and what was found. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A protocol or contract check on the product failed, with evidence attached by the caller. */
export class ProductError extends Error {
  override name = 'ProductError';
}

export function isInfraErrorLike(e: { name?: string } | undefined): boolean {
  return e?.name === 'InfraError';
}
