/** The largest file the CLI reads from disk (a source, a Makefile, a file one `include`s); larger ones are skipped and said so. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
