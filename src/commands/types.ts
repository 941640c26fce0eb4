/** What a CLI subcommand gets: its arguments and the process edges, passed in for tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: parse args, call the pipeline, return the exit status. */
export type Command = (args: string[], io: CliIo) => Promise<number>;
