/**
 * tree-sitter's C grammar, loaded once from the wasm that tree-sitter-c ships (no native build).
 * Kernel macros parse into known shapes (see shared NOTES); this module only parses and names
 * function definitions (every text mended first for grammar flaws: empty-defines.ts,
 * named-variadics.ts, macro-statements.ts, declaration-attributes.ts). It is not
 * the analysis: cfg.ts and held-locks.ts read the trees.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import { unswallowEmptyDefines } from './empty-defines.ts';
import { unnameVariadics } from './named-variadics.ts';
import { endMacroStatements } from './macro-statements.ts';
import { blankDeclarationAttributes } from './declaration-attributes.ts';
import { pastedDeclaratorName } from './syntax.ts';

export type { Node, Tree };

export interface CParser {
  parse(text: string): Tree;
}

let loading: Promise<Language> | undefined;

function loadLanguage(): Promise<Language> {
  loading ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    return Language.load(require.resolve('tree-sitter-c/tree-sitter-c.wasm'));
  })();
  return loading;
}

/** A parser ready to use; the language wasm is loaded once per process (or worker). */
export async function loadCParser(): Promise<CParser> {
  const language = await loadLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(text: string): Tree {
      const tree = parser.parse(blankDeclarationAttributes(endMacroStatements(unnameVariadics(unswallowEmptyDefines(text)))));
      if (!tree) throw new Error('tree-sitter returned no tree');
      return tree;
    },
  };
}

/**
 * The identifier a function definition declares, through pointer and attribute wrappers; or the
 * name a pasting macro makes (`static int FNAME(fetch)(...)`: `FNAME(fetch)`, syntax.ts).
 */
export function functionName(def: Node): string | undefined {
  let d: Node | null = def.childForFieldName('declarator');
  while (d) {
    if (d.type === 'function_declarator') {
      const inner = d.childForFieldName('declarator');
      const pasted = pastedDeclaratorName(inner);
      if (pasted) return pasted;
      if (inner?.type === 'identifier') return inner.text;
      if (inner?.type === 'parenthesized_declarator') return inner.namedChildren.find((c) => c?.type === 'identifier')?.text;
      d = inner;
      continue;
    }
    if (d.type === 'identifier') return d.text;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

export interface FunctionRange {
  name: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

/** Every function definition at top level (and inside preprocessor blocks), in file order. */
export function functionRanges(tree: Tree): FunctionRange[] {
  const out: FunctionRange[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'function_definition') {
        const name = functionName(child);
        if (name) out.push({ name, startLine: child.startPosition.row + 1, endLine: child.endPosition.row + 1 });
      } else if (child.type.startsWith('preproc_') || child.type === 'linkage_specification' || child.type === 'declaration_list' || child.type === 'ERROR') {
        visit(child);
      }
    }
  };
  visit(tree.rootNode);
  return out;
}
