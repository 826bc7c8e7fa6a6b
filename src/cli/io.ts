/** The CLI's contact with the outside world, so commands can be run in-process by tests. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  isTTY: boolean;
  /** Resolves on SIGINT or SIGTERM. */
  untilInterrupted(): Promise<void>;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stdout.isTTY),
  untilInterrupted: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};
