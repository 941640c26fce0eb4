/**
 * Locks of an object a function is still setting up. A function that initialises a lock
 * (`mutex_init(&fs_info->chunk_mutex)`) and later takes it, with nothing in between that could
 * hand the object to anyone else (register a callback, start a thread, queue work, add it to a
 * list, store the pointer into shared memory), holds the only instance anyone can reach: no
 * other task waits for it, so what it takes under that lock orders nothing a deadlock can close.
 * lockdep, keyed by class, would join such an order with the same class's live instances
 * (a mount's chunk_mutex with a mounted file system's); lockscope records no order edge from
 * such a lock (checkers/lock-order.ts) until the object is let out while the lock is held (a
 * registration made under it orders what it takes after the lock), and says so in the docs.
 * Recursion on it is still recursion: the task would wait for itself.
 */
import type { FunctionIR } from '../c/ir.ts';
import { opsOf } from '../c/call-graph.ts';
import { LOCK_INITS, type Catalogue } from './catalogue.ts';

/**
 * Calls that make an object reachable by others: kernel APIs that register, start, queue, link
 * or publish (by name, as the kernel spells them). Any call the catalogue knows as a registration
 * (request_irq, setup_timer, INIT_WORK, kthread_run) counts too.
 */
const PUBLISHING = /^(?:register_\w+|\w+_register|device_add|add_disk|sget|(?:h?list|list_bl)_add\w*|list_splice\w*|list_move\w*|rb_insert\w*|radix_tree_insert|idr_\w*(?:alloc|get_new)\w*|kthread_(?:run|create\w*)|wake_up_process|(?:queue|schedule)_(?:delayed_)?work\w*|mod_timer\w*|add_timer\w*|hrtimer_start\w*|rcu_assign_pointer|call_rcu\w*|cdev_add|platform_device_add|input_register_device)$/;

export interface SetupPhase {
  /**
   * For the lock written `text` (`&fs_info->chunk_mutex`) taken at `line` on an object this
   * function is still setting up: the line of the first thing after it that lets the object out
   * (Infinity if none), from which on what is taken under it is ordered again. Else undefined.
   */
  (text: string, line: number): number | undefined;
}

const NEVER: SetupPhase = () => undefined;

const norm = (text: string): string => text.replace(/\s+/g, '');

/** Per catalogue and function body: a function is analysed once per caller's specialisation, its body read once. */
const memo = new WeakMap<Catalogue, WeakMap<FunctionIR, SetupPhase>>();

export function setupPhase(fn: FunctionIR, catalogue: Catalogue): SetupPhase {
  let byFn = memo.get(catalogue);
  if (!byFn) memo.set(catalogue, (byFn = new WeakMap()));
  let phase = byFn.get(fn);
  if (!phase) byFn.set(fn, (phase = readSetupPhase(fn, catalogue)));
  return phase;
}

function readSetupPhase(fn: FunctionIR, catalogue: Catalogue): SetupPhase {
  const inits = new Map<string, number>();
  const published: number[] = [];
  opsOf(fn.body, (o) => {
    if (o.k === 'set') {
      // `sb->s_fs_info = fs_info`, `global = obj`: a pointer stored where others may read it
      // (not a number: `tree_root->nodesize = nodesize`).
      if (o.from !== undefined && fn.vars[o.from]?.ptr && (!(o.root in fn.vars) || /->|\./.test(o.target))) published.push(o.line);
      return;
    }
    if (LOCK_INITS.has(o.callee)) {
      const text = o.args[0]?.text;
      if (text) {
        const key = norm(text);
        const was = inits.get(key);
        if (was === undefined || o.line < was) inits.set(key, o.line);
      }
      return;
    }
    if (o.indirect || PUBLISHING.test(o.callee) || catalogue.get(o.callee)?.k === 'register') published.push(o.line);
  });
  if (!inits.size) return NEVER;
  return (text, line) => {
    const init = inits.get(norm(text));
    if (init === undefined || init >= line || published.some((p) => p > init && p < line)) return undefined;
    // Published while held (a registration under the lock): ordered from that call on.
    return Math.min(Infinity, ...published.filter((p) => p >= line));
  };
}
