/** What a CLI subcommand gets: its arguments and the process edges, passed in for tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  /** `isTTY` and `columns` as on process.stderr: progress is drawn only on a terminal. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: parse args, call the pipeline, return the exit status. */
export type Command = (args: string[], io: CliIo) => Promise<number>;
