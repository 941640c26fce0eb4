/** The `arch/` directory a path lies under (`arch/x86/kernel/a.c` -> `x86`): builds for different ones never mix. */
export const archOf = (path: string): string | undefined => /(?:^|\/)arch\/([^/]+)\//.exec(path)?.[1];
