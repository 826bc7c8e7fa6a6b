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
  /** Resolves on SIGINT or SIGTERM. */
  untilInterrupted(): Promise<void>;
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
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};
