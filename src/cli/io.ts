import { createInterface } from 'node:readline/promises';

/** The CLI's contact with the outside world, so commands can be run in-process by tests. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** stdout is a terminal (colour allowed). */
  isTTY: boolean;
  /** stdin is a terminal (a person can answer a question). */
  interactive: boolean;
  ask(question: string): Promise<string>;
  /** Resolves on SIGINT or SIGTERM; a second one exits at once, for a stop that hangs. */
  untilInterrupted(): Promise<void>;
  /**
   * A server has stopped: what it could not cancel (WebClient retrying a
   * call for minutes against a Slack that is gone) must not keep the process
   * from exiting once the command returns.
   */
  release(): void;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stdout.isTTY),
  interactive: Boolean(process.stdin.isTTY),
  ask: async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
  untilInterrupted: () =>
    new Promise((resolve) => {
      const interrupted = () => {
        process.off('SIGINT', interrupted);
        process.off('SIGTERM', interrupted);
        process.once('SIGINT', () => process.exit(130));
        process.once('SIGTERM', () => process.exit(143));
        resolve();
      };
      process.once('SIGINT', interrupted);
      process.once('SIGTERM', interrupted);
    }),
  // After the exit code is set: the command's promise settles in microtasks, this runs on the next turn.
  release: () => void setImmediate(() => process.exit()).unref(),
};
