// The reference target's own failure of its surroundings: openssl missing, a port
// taken, a queen that would not start. Not a product failure, and not the checker's
// class: `reference serve` (harness/target/reference-services.ts) turns it into the
// harness's infrastructure error (exit 3) with the same message, fix line included.

export class ReferenceEnvironmentError extends Error {
  override name = 'ReferenceEnvironmentError';
  /** what to do about it, e.g. "apt-get install openssl", shown on its own line */
  constructor(message: string, fix?: string) {
    super(fix === undefined ? message : `${message}\n  fix: ${fix}`);
  }
}
