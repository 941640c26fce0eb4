/**
 * What `lockscope <command> --help` prints, and the option names parseArgs accepts, from one
 * description per command, so the help cannot list an option the parser refuses (or miss one
 * it takes). Layout only; what each option does is written next to the command that reads it.
 */

/** One option: `value` names its argument (`--rev REV`); without it the option is a flag. */
export interface OptionHelp {
  name: string;
  value?: string;
  /** One line: what it does, its default, whether it repeats. */
  help: string;
}

export interface CommandHelp {
  /** Usage lines without the leading "usage: ". */
  usage: string[];
  /** One or two sentences: what the command is for. */
  about: string;
  options: OptionHelp[];
  /** Trailing lines: exit statuses, environment variables. */
  footer?: string[];
}

const HELP_OPTION: OptionHelp = { name: 'help', help: 'show this help and exit' };

/** The help text: usage, what it is for, one line per option (aligned), the footer. */
export function helpText(command: CommandHelp): string {
  const options = [...command.options, HELP_OPTION];
  const left = options.map((o) => (o.name === 'help' ? '-h, --help' : `--${o.name}${o.value ? ` ${o.value}` : ''}`));
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = [
    ...command.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}${u}`),
    '',
    command.about,
    '',
    'options:',
    ...options.map((o, i) => `  ${(left[i] as string).padEnd(width)}${o.help}`),
  ];
  if (command.footer?.length) lines.push('', ...command.footer);
  return `${lines.join('\n')}\n`;
}

/** What a usage error prints after its reason: the usage lines and where the options are. */
export function usageText(command: CommandHelp, name: string): string {
  const lines = command.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}${u}`);
  return `${lines.join('\n')}\nRun 'lockscope ${name} --help' for the options.\n`;
}

/** The parseArgs spec the help describes: options that take a value, and flags. */
export function argsSpec(command: CommandHelp): { options: string[]; flags: string[] } {
  return {
    options: command.options.filter((o) => o.value !== undefined).map((o) => o.name),
    flags: command.options.filter((o) => o.value === undefined).map((o) => o.name),
  };
}

/** True when argv asks for help (`-h` or `--help` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '-h' || a === '--help') return true;
  }
  return false;
}
