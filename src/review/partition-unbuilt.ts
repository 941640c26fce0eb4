/**
 * A tree partition's C files its own Makefiles do not build (context/kbuild.ts unbuiltFiles),
 * decided as `lockscope analyze` decides them for the directory alone: a template no Makefile
 * names (`pci-skeleton.c`), an object only an option no configuration sets builds
 * (`obj-$(CONFIG_SX) += sx.o`, SX depending on BROKEN). Left out of the partition's analysis:
 * the orders and findings they make are no kernel's. Pure.
 */
import { unbuiltFiles, type BuildFile } from '../context/kbuild.ts';
import type { KernelConfig } from '../analyzers/c/kernel-config.ts';

/**
 * Tree path -> why it is not built, for the `.c` files of one directory. Paths stay the tree's:
 * with no Makefile above given, only the directory's own build files decide, as they do for a
 * directory analysed alone, and the reasons name the directory.
 */
export function partitionUnbuilt(sources: readonly BuildFile[], makefiles: readonly BuildFile[], config: KernelConfig | undefined): Map<string, string> {
  return makefiles.length ? unbuiltFiles(sources, makefiles, undefined, config) : new Map();
}
