/** One subcommand of the error-contract CLI; each lives in commands/<name>.ts. */
export interface Command {
  name: string;
  /** One line for `error-contract --help`. */
  summary: string;
  /** The full usage text for `error-contract <name> --help`. */
  usage: string;
  /** Returns the exit code: 0 success, 1 a finding or failure in the input, 2 a usage or I/O error. */
  run(argv: string[]): Promise<number>;
}

/** A usage error: printed with the command's usage hint, exit 2. */
export class UsageError extends Error {}
