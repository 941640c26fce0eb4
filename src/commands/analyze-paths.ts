/**
 * What `analyze` and `baseline write` share: read the .c and .h files under the paths and analyze
 * them as one program, with a progress bar on a terminal. Files too large to read, and in a
 * kernel tree the .c files no Makefile builds, are listed in the analysis's `skipped`.
 */
import { analyzeProgram, type AnalysisResult } from '../analyzers/analyze-program.ts';
import { extractFacts, type SourceFile } from '../analyzers/c/extract-facts.ts';
import type { FileFacts, PointerStore } from '../analyzers/c/ir.ts';
import { storesOfTables, tableObjects } from '../analyzers/c/ops-tables.ts';
import { memberWrites, unsetCandidates, writtenMembers } from '../analyzers/c/unset-members.ts';
import { canWriteOurs, declaringFiles, includedPaths, ValueWriters, writtenThroughCalls } from './member-visibility.ts';
import { namedTags, valueCandidates, valueCarriers } from '../analyzers/c/member-values.ts';
import { uncalledCandidates } from '../analyzers/c/never-called.ts';
import { structCandidates } from '../analyzers/c/armed-callbacks.ts';
import { kconfigSymbols, kernelVersionOf, treeMakefilesAbove, mentionedOutside, readBuildFiles } from './tree-mentions.ts';
import { WordScanner } from './word-scan.ts';
import { DefinedMacros } from './defined-macros.ts';
import { testedMacros } from '../analyzers/c/tested-macros.ts';
import { headerOptions, includedHeaders } from '../context/header-constants.ts';
import { foldVersionTests } from '../analyzers/c/version-tests.ts';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isUnder, unbuiltDirectories } from './unbuilt-directories.ts';
import { kernelConfig } from '../analyzers/c/kernel-config.ts';
import { analysedConfigPath, readConfigOption } from './config-option.ts';
import { progressBar } from './progress-bar.ts';
import { readSources } from './source-files.ts';
import { flagsReaching, includeDirs, makefileOptions, unbuiltFiles } from '../context/kbuild.ts';
import { FactsCache, type FactsStore } from '../analyzers/c/facts-cache.ts';
import type { CliIo } from './types.ts';

/**
 * `configPath`: the configuration to analyse for; undefined for the tree's own `.config` when it
 * has one (what kbuild builds), null for any build the Kconfig allows.
 */
export async function analyzePaths(paths: readonly string[], io: CliIo, store?: FactsStore, configPath?: string | null): Promise<{ ok: true; result: AnalysisResult; files: number } | { ok: false; reason: string }> {
  const sources = await readSources(paths, io.cwd);
  if (!sources.ok) return sources;
  const { root } = sources;
  const chosen = await analysedConfigPath(root, configPath);
  const given = chosen ? await readConfigOption(chosen, io.cwd) : undefined;
  if (given && !given.ok) return given;
  // The build analysed: the user's .config, and the options the tree's Kconfig files declare.
  const declaredConfigs = root ? await kconfigSymbols(root) : undefined;
  const config = kernelConfig(given?.file, declaredConfigs);
  // A kernel tree's files no Makefile builds (a driver template, a sub-directory no Makefile
  // above names): left out, and listed as skipped.
  const above = root && sources.directory ? await treeMakefilesAbove(sources.directory, root) : undefined;
  const unbuilt = unbuiltFiles(sources.files, sources.makefiles, above, config);
  const files = unbuilt.size ? sources.files.filter((f) => !unbuilt.has(f.path)) : sources.files;
  const bar = io.stderr.isTTY ? progressBar(io.stderr) : undefined;
  // A Makefile above the directory that compiles its files applies to all of them: as if at its root.
  const buildMakefiles = [...sources.makefiles, ...sources.parentMakefiles.map((m) => ({ path: 'Makefile', text: m.text }))];
  const fromMakefiles = makefileOptions(buildMakefiles, config);
  // Inside a kernel tree, `#if LINUX_VERSION_CODE >= KERNEL_VERSION(..)` is decided for its version.
  const version = root ? await kernelVersionOf(root) : undefined;
  if (version !== undefined) for (const f of files) f.text = foldVersionTests(f.text, version);
  const facts = await extractFacts(files, {
    ...(store ? { cache: new FactsCache(undefined, store) } : {}),
    onProgress: bar && ((done, total) => bar.update('parsing files', done, total)),
  });
  const tree = root && sources.directory ? await askTree(root, sources.directory, sources.files, facts, store) : undefined;
  const searchDirs = root && sources.directory ? includeDirs(buildMakefiles, relative(root, sources.directory).split(sep).join('/')) : [];
  const headers = root ? await includedHeaders((path) => readFile(join(root, path), 'utf8').catch(() => undefined), files.map((f) => f.text), searchDirs) : [];
  const fromHeaders = await headerOptions(headers, store ? new FactsCache(undefined, store) : undefined);
  const count = files.length;
  // Past lowering the texts are garbage: on a whole tree, hundreds of MB the analysis could use.
  files.length = 0;
  sources.files.length = 0;
  const result = analyzeProgram(facts, {
    ...fromMakefiles,
    ...(tree?.neverCalled.length ? { neverCalled: tree.neverCalled } : {}),
    ...(tree?.calledOnlyByName.length ? { calledOnlyByName: tree.calledOnlyByName } : {}),
    ...(tree?.calledOutside.length ? { calledOutside: tree.calledOutside } : {}),
    ...(tree?.structsOnlyHere.length ? { structsOnlyHere: tree.structsOnlyHere } : {}),
    ...(tree?.outsideStores.length ? { outsideStores: tree.outsideStores } : {}),
    ...(tree?.unwrittenOutside.length ? { unwrittenOutside: tree.unwrittenOutside } : {}),
    ...(tree?.undefinedInTree.length ? { undefinedInTree: tree.undefinedInTree } : {}),
    ...(tree?.unmentionedGlobals.length ? { unmentionedGlobals: tree.unmentionedGlobals } : {}),
    ...(tree ? { membersWrittenOutside: tree.membersWrittenOutside, unnamedOutside: tree.unnamedOutside } : {}),
    ...(config ? { config } : {}),
    ...fromHeaders,
    ...(version !== undefined ? { kernelVersion: version } : {}),
    onAnalyzed: bar && ((done, total) => bar.update('analysing functions', done, total)),
  });
  bar?.clear();
  if (given) result.json.config = given.file.path;
  for (const s of sources.skipped) result.json.skipped.push({ file: s.split(':')[0] ?? s, line: 0, reason: 'not read: larger than the 8 MiB limit' });
  for (const [file, reason] of unbuilt) result.json.skipped.push({ file, line: 0, reason });
  return { ok: true, result, files: count };
}

/** Files outside the directory read for the stores of its tables, at most: a table every driver names is not worth lowering them all. */
const MAX_TABLE_FILES = 200;

/**
 * What the kernel tree the directory belongs to says about it, in one walk of the tree: the
 * non-static functions of the directory nothing calls, stores or exports, there or anywhere else
 * (dead code), those nothing in the directory calls but files outside mention (their callers are
 * there, holding what lockscope cannot see), what the .c files outside store of the directory's ops tables (`.ops = &ccu_ops`
 * in a board file: c/ops-tables.ts), and which tested members no file outside writes
 * (c/unset-members.ts), and which macros the directory tests that no other file `#define`s and
 * no Makefile passes (c/tested-macros.ts: defined by no build). Outside a kernel tree (no `tree`) nothing can say, and the texts are
 * not even read for candidates.
 */
async function askTree(tree: string, directory: string, files: readonly SourceFile[], facts: readonly FileFacts[], store?: FactsStore): Promise<{ neverCalled: string[]; calledOnlyByName: string[]; calledOutside: string[]; outsideStores: PointerStore[]; unwrittenOutside: string[]; undefinedInTree: string[]; unmentionedGlobals: string[]; structsOnlyHere: string[]; membersWrittenOutside: { tags: string[]; writers: Record<string, string[]> }; unnamedOutside: string[] } | undefined> {
  const { candidates, called, words } = uncalledCandidates(files, facts);
  // Structs holding work items or stored functions: named outside, their members may be armed or called there.
  const structs = structCandidates(facts);
  // Variables with an initial value other files could write: asked of the tree with the functions.
  const variables = [...new Set(facts.flatMap((f) => Object.entries(f.globals).filter(([, g]) => !g.isStatic && g.init !== undefined).map(([n]) => n)))].sort();
  const tables = tableObjects(facts);
  const members = unsetCandidates(facts);
  const macros = testedMacros(facts);
  // Members tested against values, and the functions that carry a value into one (c/member-values.ts).
  const valued = valueCandidates(facts);
  const carriers = valueCarriers(facts);
  if (candidates.length === 0 && variables.length === 0 && tables.length === 0 && members.length === 0 && macros.length === 0 && structs.length === 0 && valued.length === 0) return undefined;
  const naming = tables.length ? new WordScanner(tables) : undefined;
  const unsetWanted = new Set(members);
  const writes = members.length || valued.length ? memberWrites([...new Set([...members, ...valued])]) : undefined;
  const tags = namedTags(facts);
  const valueWriters = new ValueWriters(tree, valued, tags);
  // A write counts only where our declaration of the member is visible (member-visibility.ts).
  const declared = declaringFiles(directory, facts, members);
  const storing: SourceFile[] = [];
  const written = new Set<string>();
  // A macro some other file of the tree `#define`s, or a Makefile passes (`-DUSE_DMA`), may be
  // defined; one only ever declared as a function there (`#ifdef rcu_read_lock`) is not.
  const defined = new DefinedMacros(macros);
  const noteMacros = (text: string): void => defined.note(text);
  const onFile = (path: string, text: string): void => {
    if (naming && path.endsWith('.c') && naming.test(text)) storing.push({ path: relative(tree, path), text });
    if (writes) {
      let includes: Set<string> | undefined;
      const seen = (): Set<string> => (includes ??= includedPaths(tree, path, text));
      const wrote = writtenMembers(text, writes);
      for (const m of wrote) if (unsetWanted.has(m) && canWriteOurs(declared, m, seen)) written.add(m);
      valueWriters.note(wrote, text, seen);
    }
    noteMacros(text);
  };
  const buildFiles: { path: string; text: string }[] = [];
  await readBuildFiles(tree, (path, text) => buildFiles.push({ path, text }));
  if (macros.length) for (const f of buildFiles) noteMacros(flagsReaching(directory, f.path, f.text));
  // The .c files of a directory no build enters (a spare copy of the driver) run in no kernel.
  const unbuilt = unbuiltDirectories(tree, buildFiles);
  const analysed = new Set(files.map((f) => join(directory, f.path)));
  const leftOut = (path: string): boolean => analysed.has(path) || (!path.endsWith('.h') && isUnder(relative(tree, path).split(sep).join('/'), unbuilt));
  // Our own writes through an accessor's result (`EXT4_SB(sb)->s_journal = j`) are no set
  // the lowering records: counted here, by text, as written.
  if (members.length) for (const m of writtenThroughCalls(files, members)) written.add(m);
  const outside = await mentionedOutside(tree, [...new Set([...candidates, ...variables, ...structs, ...carriers])], leftOut, (w) => words.has(w), onFile);
  // Files arrive as their reads finish: in path order, so the same ones are kept every run.
  const kept = storing.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).slice(0, MAX_TABLE_FILES);
  const outsideFacts = kept.length ? await extractFacts(kept, store ? { cache: new FactsCache(undefined, store) } : {}) : [];
  const unmentioned = candidates.filter((n) => !outside.has(n));
  return {
    neverCalled: unmentioned.filter((n) => !called.has(n)), calledOnlyByName: unmentioned.filter((n) => called.has(n)),
    calledOutside: candidates.filter((n) => outside.has(n) && !called.has(n)), outsideStores: storesOfTables(outsideFacts, tables), unwrittenOutside: members.filter((m) => !written.has(m)),
    undefinedInTree: macros.filter((m) => !defined.named.has(m)),
    unmentionedGlobals: variables.filter((n) => !outside.has(n)),
    structsOnlyHere: structs.filter((n) => !outside.has(n)),
    membersWrittenOutside: { tags, writers: valueWriters.result() }, unnamedOutside: carriers.filter((n) => !outside.has(n)),
  };
}
