/**
 * Multi-layer types for calls through ops tables (after MLTA, Lu and Hu, CCS'19): a call
 * `clk->ops->init(clk)` reaches the `init` of the tables ever stored into a `struct clk`'s `ops`,
 * not every function stored into any `gen_ops.init`. And when the clock is embedded in another
 * struct (`clk = &ccu->clk`), only the tables stored into that container's clock
 * (`{ .clk = { .ops = &ccu_ops } }` in a `struct ccu_clk`), with those stored into a clock of no
 * known container.
 *
 * A layer is closed only when every value stored into it names a table object: one given a
 * pointer the program cannot name (`c->ops = ops`, `= init->ops`, a pointer variable) may hold
 * any table, and the call keeps every target.
 */
import type { AccessPath, CallEvent, FileFacts, FunctionIR, PointerStore, TypeRef } from './ir.ts';

/** `&revoke_ops` of a global ops table, not shadowed by a variable of the function: the table's name. */
export function tableAddress(a: AccessPath, fn: FunctionIR, isOpsTable: (name: string) => boolean): string | undefined {
  return !a.rootCall && !a.cast && a.fields.length === 0 && a.text.replace(/\s+/g, '') === `&${a.root}` && !(a.root in fn.vars) && isOpsTable(a.root) ? a.root : undefined;
}

/** What the layers need of the program: types of paths, members and objects. */
export interface LayerTypes {
  structOfPath(path: AccessPath, fn: FunctionIR, file: string): string | undefined;
  /** The member's type in a struct, typedefs resolved. */
  memberType(tag: string, field: string): TypeRef | undefined;
  /** Whether `name` is a function of the program. */
  isFunction(name: string): boolean;
  /** The type of a file-scope object of that name, in any file. */
  objectType(name: string): TypeRef | undefined;
  /** The function a store in a function body was made in. */
  functionNamed(name: string): { fn: FunctionIR; file: string } | undefined;
  /** The direct calls of a function in the program, with the function each is in. */
  callsOf(name: string): readonly { ev: CallEvent; caller: { fn: FunctionIR; file: string } }[];
}

/** One store into a layer: the container the holder is embedded in (`ccu_clk.clk`), and the table (null: unnamed). */
interface LayerStore {
  container?: string;
  table: string | null;
}

/** `holder.member` (`clk.ops`) -> what was ever stored there. */
export type LayerIndex = Map<string, LayerStore[]>;

/** The layer a store writes: the holder's struct, the member, and the struct the holder is embedded in. */
interface Layer {
  holder: string;
  member: string;
  container?: string;
}

export function indexLayers(stores: readonly PointerStore[], types: LayerTypes): LayerIndex {
  const index: LayerIndex = new Map();
  const push = (key: string, store: LayerStore): void => {
    const list = index.get(key);
    if (list) list.push(store);
    else index.set(key, [store]);
  };
  for (const s of stores) {
    if (s.fn === 'NULL' || types.isFunction(s.fn)) continue;
    const table = s.fn && isTable(s.fn, types) ? s.fn : null;
    const layer = 'tag' in s ? initializerLayer(s.tag, s.fields, types) : assignmentLayer(s.path, s.in, types);
    // `clk_register(c, ops) { c->ops = ops; }`: the tables its callers hand it, each for the
    // container of the clock that call hands (`clk_register(&ccu->clk, &ccu_ops)`).
    const registered = layer && !table && !('tag' in s) ? registeredTables(s.path, s.in, s.fn, types) : undefined;
    if (layer && registered) {
      for (const r of registered) push(`${layer.holder}.${layer.member}`, { ...((r.container ?? layer.container) ? { container: r.container ?? layer.container } : {}), table: r.table });
      continue;
    }
    // A table stored through a holder of unknown type (`board->clk.ops = &ccu_ops` in a function
    // the program does not have) may be in any holder's member of that name.
    const untyped = !layer && table && !('tag' in s) ? s.path.fields[s.path.fields.length - 1] : undefined;
    if (untyped) push(`*.${untyped}`, { table });
    if (layer) push(`${layer.holder}.${layer.member}`, { ...(layer.container ? { container: layer.container } : {}), table });
  }
  return index;
}

/** A table is an object (`&ccu_ops`, or an array of them), never a pointer variable. */
function isTable(name: string, types: LayerTypes): boolean {
  const t = types.objectType(name);
  return !!t && !t.ptr && (t.k === 'struct' || t.k === 'typedef');
}

/**
 * A parameter stored into a member (`c->ops = ops` in `clk_register(c, ops)`): per call of the
 * function in the program, the table it hands (null: not a table) and the container of the
 * holder it hands. None for a static function no one calls (dead); undefined when the value is
 * no parameter, or callers outside the program may pass anything (a non-static one uncalled here).
 */
function registeredTables(path: AccessPath, inFn: string, value: string, types: LayerTypes): { table: string | null; container?: string }[] | undefined {
  const owner = types.functionNamed(inFn);
  const i = owner ? owner.fn.params.findIndex((p) => p.name === value) : -1;
  if (!owner || i < 0) return undefined;
  const calls = types.callsOf(inFn);
  if (calls.length === 0) return owner.fn.isStatic ? [] : undefined;
  const holder = path.fields.length === 1 ? owner.fn.params.findIndex((p) => p.name === path.root) : -1;
  return calls.map(({ ev, caller }) => {
    const a = ev.args[i];
    const table = a && a.fields.length === 0 && !a.rootCall && !(a.root in caller.fn.vars) && isTable(a.root, types) ? a.root : null;
    const h = holder >= 0 ? ev.args[holder] : undefined;
    const container = h?.text.startsWith('&') ? embeddingOf(h, caller.fn, caller.file, types) : undefined;
    return { table, ...(container ? { container } : {}) };
  });
}

/**
 * The tables a call's object (`clk->ops`, `ccu->clk.ops`) may be, or undefined when that is not
 * known: a holder of unknown type, a layer nothing names a table in, or one given an unnamed pointer.
 */
export function tablesOfObject(index: LayerIndex, object: AccessPath, fn: FunctionIR, file: string, types: LayerTypes): ReadonlySet<string> | undefined {
  if (object.fields.length === 0 || object.rootCall) return undefined;
  const member = object.fields[object.fields.length - 1] as string;
  let holderPath: AccessPath = { ...object, fields: object.fields.slice(0, -1) };
  // `clk = &ccu->clk; clk->ops`: the holder is the clock embedded in the ccu.
  const alias = holderPath.fields.length === 0 ? fn.aliases?.[holderPath.root] : undefined;
  if (alias && alias.text.startsWith('&') && !alias.rootCall) holderPath = alias;
  const holder = types.structOfPath(holderPath, fn, file);
  if (!holder) return undefined;
  const stores = [...(index.get(`${holder}.${member}`) ?? []), ...(index.get(`*.${member}`) ?? [])];
  if (!stores.length || stores.some((s) => s.table === null)) return undefined;
  const container = embeddingOf(holderPath, fn, file, types);
  const out = new Set<string>();
  for (const s of stores) if (!container || !s.container || s.container === container) out.add(s.table as string);
  return out.size ? out : undefined;
}

/**
 * The container a store's holder is embedded in (`manager.ch` for `mgr->ch.send = mgr_send` and
 * for `{ .ch = { .send = mgr_send } }` in a `struct manager`); '' for a holder embedded in none
 * (reached through a pointer, a standalone object) or of a type not known.
 */
export function storeContainer(s: PointerStore, types: LayerTypes): string {
  const layer = 'tag' in s ? initializerLayer(s.tag, s.fields, types) : assignmentLayer(s.path, s.in, types);
  if (layer) return layer.container ?? '';
  // Types not known (a struct of a header outside the program): by the syntax. A nested
  // initialiser (`.ops = { .suspend = f }`) and a store read with `.` (`x->ops.suspend = f`)
  // fill a holder embedded in what comes before it, of a type '?' where that is not known either.
  const fields = 'tag' in s ? s.fields : s.path.fields;
  const inner = fields[fields.length - 2];
  if (inner === undefined) return '';
  if ('tag' in s) return `${fields.length === 2 ? s.tag : '?'}.${inner}`;
  return /\.\s*\w+$/.test(s.path.text) ? `?.${inner}` : '';
}

/**
 * The container the holder of a call's member is embedded in (`layer2.ch` for a call
 * `l2->ch.send(..)`, and through `ch = &l2->ch`); undefined for a holder reached through a pointer.
 */
export function holderEmbedding(holder: AccessPath, dot: boolean, fn: FunctionIR, file: string, types: LayerTypes): string | undefined {
  if (holder.rootCall) return undefined;
  const alias = holder.fields.length === 0 ? fn.aliases?.[holder.root] : undefined;
  if (alias && alias.text.startsWith('&') && !alias.rootCall) return embeddingOf(alias, fn, file, types);
  // `drv->pm->suspend(..)`: the holder is a pointer's target, whatever it points into.
  if (!dot || holder.fields.length === 0) return undefined;
  // `l2->ch.send(..)`: a struct in place, embedded in the one before it.
  const field = holder.fields[holder.fields.length - 1] as string;
  const outer = types.structOfPath({ ...holder, fields: holder.fields.slice(0, -1) }, fn, file);
  return `${outer ?? '?'}.${field}`;
}

/** `ccu->clk` with `clk` a `struct clk` member (not a pointer) of `struct ccu_clk`: 'ccu_clk.clk'. */
function embeddingOf(holderPath: AccessPath, fn: FunctionIR, file: string, types: LayerTypes): string | undefined {
  if (holderPath.fields.length === 0) return undefined;
  const field = holderPath.fields[holderPath.fields.length - 1] as string;
  const outer = types.structOfPath({ ...holderPath, fields: holderPath.fields.slice(0, -1) }, fn, file);
  const t = outer ? types.memberType(outer, field) : undefined;
  return t && !t.ptr ? `${outer}.${field}` : undefined;
}

/** `struct ccu_clk x = { .clk = { .ops = &ccu_ops } }`: holder clk, member ops, container ccu_clk.clk. */
function initializerLayer(tag: string, fields: readonly string[], types: LayerTypes): Layer | undefined {
  let holder = tag;
  let container: string | undefined;
  for (const f of fields.slice(0, -1)) {
    const t = types.memberType(holder, f);
    if (!t || (t.k !== 'struct' && t.k !== 'typedef')) return undefined;
    container = t.ptr ? undefined : `${holder}.${f}`;
    holder = t.name;
  }
  const member = fields[fields.length - 1];
  return member ? { holder, member, ...(container ? { container } : {}) } : undefined;
}

/** `ccu->clk.ops = &ccu_ops;` in a function body. */
function assignmentLayer(path: AccessPath, inFn: string, types: LayerTypes): Layer | undefined {
  const owner = types.functionNamed(inFn);
  const member = path.fields[path.fields.length - 1];
  if (!owner || !member || path.rootCall) return undefined;
  const holderPath = { ...path, fields: path.fields.slice(0, -1) };
  const holder = types.structOfPath(holderPath, owner.fn, owner.file);
  if (!holder) return undefined;
  const container = embeddingOf(holderPath, owner.fn, owner.file, types);
  return { holder, member, ...(container ? { container } : {}) };
}

/**
 * The program's table objects others may store: non-static file-scope objects whose initialiser
 * stores a function (`struct gen_ops ccu_ops = { .init = ccu_init }`). A board file outside the
 * analysed directory that stores one (`.ops = &ccu_ops`) tells which clocks carry it.
 */
export function tableObjects(files: readonly FileFacts[]): string[] {
  const functions = new Set(files.flatMap((f) => f.functions.map((fn) => fn.name)));
  const out = new Set<string>();
  for (const f of files) {
    for (const s of f.pointerStores) {
      if ('tag' in s && s.variable && functions.has(s.fn) && f.globals[s.variable]?.isStatic === false) out.add(s.variable);
    }
  }
  return [...out].sort();
}

/** Of files outside the program, the stores of the program's table objects (AnalysisOptions.outsideStores). */
export function storesOfTables(files: readonly FileFacts[], tables: readonly string[]): PointerStore[] {
  const wanted = new Set(tables);
  return files.flatMap((f) => f.pointerStores.filter((s) => wanted.has(s.fn)));
}
