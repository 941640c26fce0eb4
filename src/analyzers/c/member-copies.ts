/**
 * A local that only ever holds a copy of one member (`parent = event->parent;`) is tested as
 * that member: `if (!parent) return;` teaches the path what `event->parent` is, which a callee
 * handed `event` tests again (`if (!event->parent)`), and compared as it (`switch (cmd)` with
 * `cmd = c->command`: a caller's constant in c->command picks the case). Only while nothing in
 * the function assigns the member or the object: then the copy and the member hold the same
 * value wherever the copy is tested. A member read through a copy of a pointer member
 * (`qi->threads_only` with `qi = pub->info`) is tested as `pub->info->threads_only`. A typed
 * copy of a whole variable (`mlock = (drv_lock *)plock`) is tested as the variable: a lock
 * callback's `if (mlock)` is its parameter's test, which its unlock callback makes again.
 */
import { eachTestedAtom, opsOf } from './call-graph.ts';
import { comparisonAtom, comparisonSides } from './comparison.ts';
import type { AccessPath, Cond, Op, Stmt } from './ir.ts';
import type { Around } from './lower-context.ts';

/**
 * The object around the member a pointer points to, as one more step of a member path
 * (`host->ctl->cppi__around__ctl`): no struct has such a member, so the key names nothing else,
 * and a callee that computes `container_of(host->ctl, struct cppi, ctl)` from its own `host`
 * spells it the same way.
 */
const aroundMember = (a: Around): string => `${a.tag}__around__${a.member}`;

/** `plock`, `(drv_lock *)plock`: a variable's value, not its address or an element. */
const WHOLE_VARIABLE = /^(?:\([\w*]+\))?[A-Za-z_]\w*$/;

export function testMemberCopiesAsMembers(body: Stmt, aliases: Readonly<Record<string, AccessPath>>, condReads: Set<string>, arounds: Readonly<Record<string, Around>> = {}): void {
  const copies = new Map<string, AccessPath>();
  // `phy = &dev->phy`: the address of a member struct; what is read through it is that
  // member's (`phy->type` is `dev->phy.type`), as a callee handed `dev` reads it.
  const embedded = new Map<string, AccessPath>();
  for (const [local, path] of Object.entries(aliases)) {
    const address = path.text.replace(/\s+/g, '');
    if (path.fields.length > 0 && !path.rootCall && !path.cast && EMBEDDED.test(address)) embedded.set(local, { ...path, text: address.slice(1) });
    else if (path.fields.length > 0 && !path.rootCall && !path.cast && !/[&[*]/.test(path.text)) copies.set(local, path);
    // `drv_lock *mlock = (drv_lock *)plock;`: a typed copy of a whole variable is that variable.
    else if (path.fields.length === 0 && !path.rootCall && WHOLE_VARIABLE.test(path.text.replace(/\s+/g, '')) && local !== path.root) copies.set(local, { ...path, text: path.root });
  }
  // Only members are read through the object around a pointer (`cppi->irq`), never the object itself.
  const around = new Set<string>();
  for (const [local, a] of Object.entries(arounds)) {
    if (copies.has(local)) continue;
    copies.set(local, { root: a.inner.root, fields: [...a.inner.fields, aroundMember(a)], text: `${a.inner.text}->${aroundMember(a)}` });
    around.add(local);
  }
  const written = writtenThrough(body, embedded);
  for (const local of written.objects) embedded.delete(local);
  if (embedded.size) testThroughEmbedded(body, embedded, written.members, condReads);
  if (copies.size === 0) return;
  // A whole-variable copy stepped or written again (`i = nr; ... i--`) is no longer its source.
  const writes = new Map<string, number>();
  opsOf(body, (o) => {
    for (const [local, path] of copies) {
      const target = o.k === 'set' ? o.target : o.assignTo;
      if (target === local && path.fields.length === 0) writes.set(local, (writes.get(local) ?? 0) + 1);
    }
  });
  for (const [local, n] of writes) if (n > 1) copies.delete(local);
  // Nor is one whose source is written before a test of it could run again: a test after the
  // first write, or in a loop, or after a label a later goto may come back to.
  // (`t = h->running; if (!t) return; ...; h->running = NULL;` keeps the copy: every test of
  // t comes first.)
  const order = writtenAfterTests(body, copies, around);
  for (const local of order) copies.delete(local);
  if (copies.size === 0) return;
  // `host = __hci; cppi = container_of(host->ctl, ..)`: read from what the copy `host` is a copy of.
  for (const local of around) {
    const path = copies.get(local);
    const base = path ? copies.get(path.root) : undefined;
    if (path && base && base.fields.length === 0 && !around.has(path.root)) copies.set(local, { ...path, root: base.root, text: `${base.text}${path.text.slice(path.root.length)}` });
  }
  eachTestedAtom(body, (atom) => {
    const path = copies.get(atom.key);
    if (path && !around.has(atom.key)) {
      atom.key = path.text;
      atom.reads = [path.root];
      atom.memory = path.fields.length > 0;
      condReads.add(path.root);
      return;
    }
    // `qi = pub->info; if (qi->threads_only)`: a member read through the copy is the member's
    // member (`pub->info->threads_only`), as the unlock wrapper's own copy will read it.
    const through = /^([A-Za-z_]\w*)((?:->\w+)+(?:&\w+)?)$/.exec(atom.key);
    const base = through ? copies.get(through[1] as string) : undefined;
    if (base && atom.reads.length === 1 && atom.reads[0] === through?.[1]) {
      atom.key = `${base.text}${through?.[2] ?? ''}`;
      atom.reads = [base.root];
      atom.memory = true;
      condReads.add(base.root);
      return;
    }
    // `int cmd = c->command; switch (cmd) { case STAT_BSENT: ...`: compared as the member too.
    const sides = comparisonSides(atom.key);
    if (!sides) return;
    // ... and `t->class == T_INIT` with `t = seq->private` as `seq->private->class == T_INIT`.
    const [a, b] = sides.map((x) => {
      const whole = copies.get(x);
      if (whole) return around.has(x) ? undefined : whole;
      const m = /^([A-Za-z_]\w*)((?:->\w+)+)$/.exec(x);
      const base = m ? copies.get(m[1] as string) : undefined;
      return base && m ? { ...base, text: `${base.text}${m[2] as string}` } : undefined;
    }) as [AccessPath | undefined, AccessPath | undefined];
    if (!a && !b) return;
    const atomNow = comparisonAtom(a?.text ?? sides[0], b?.text ?? sides[1], atom.test);
    atom.key = atomNow.key;
    atom.test = atomNow.truth;
    atom.reads = [...new Set([...atom.reads.filter((r) => r !== sides[0] && r !== sides[1]), ...[a, b].flatMap((x) => (x ? [x.root] : []))])];
    atom.memory = true;
    for (const x of [a, b]) if (x) condReads.add(x.root);
  });
}

/** `&dev->phy`, `&s->cfg.rx`: the address of a member, no element, no call. */
const EMBEDDED = /^&[A-Za-z_]\w*(?:(?:->|\.)\w+)+$/;

/**
 * The members the body stores into through a member-struct address and also tests
 * (`phy->type = PHY_B` beside `if (phy->type == PHY_G)`): a store the rename would not see
 * forget the test's fact, so tests of such a member stay as written (`members`, `phy->type`);
 * the other members' tests are renamed still. A local whose struct is replaced (`dev = other`)
 * stays as written whole (`objects`).
 */
function writtenThrough(body: Stmt, embedded: ReadonlyMap<string, AccessPath>): { objects: Set<string>; members: Set<string> } {
  const out = { objects: new Set<string>(), members: new Set<string>() };
  if (embedded.size === 0) return out;
  const tested = new Set<string>();
  eachTestedAtom(body, (atom) => {
    for (const m of atom.key.matchAll(/(?<![\w>.])([A-Za-z_]\w*)->(\w+)/g)) if (embedded.has(m[1] as string)) tested.add(`${m[1]}->${m[2]}`);
  });
  opsOf(body, (o) => {
    const target = o.k === 'set' ? o.target : o.assignTo;
    const m = target ? /^([A-Za-z_]\w*)->(\w+)/.exec(target) : null;
    if (m && tested.has(`${m[1]}->${m[2]}`)) out.members.add(`${m[1]}->${m[2]}`);
    // The struct it points into replaced: no longer that member. (The local itself is assigned
    // once, its address: an alias.)
    for (const [local, path] of embedded) if (target !== undefined && (target === path.root || path.text === target || path.text.startsWith(`${target}->`) || path.text.startsWith(`${target}.`))) out.objects.add(local);
  });
  return out;
}

/** Tests of `phy->m` (either side of a comparison too) as tests of `dev->phy.m`, but of the members `kept` names. */
function testThroughEmbedded(body: Stmt, embedded: ReadonlyMap<string, AccessPath>, kept: ReadonlySet<string>, condReads: Set<string>): void {
  const rename = (x: string): AccessPath | undefined => {
    const m = /^([A-Za-z_]\w*)->(\w+)((?:->\w+)*(?:&\w+)?)$/.exec(x);
    const base = m ? embedded.get(m[1] as string) : undefined;
    return base && m && !kept.has(`${m[1]}->${m[2]}`) ? { ...base, text: `${base.text}.${m[2] as string}${m[3] ?? ''}` } : undefined;
  };
  eachTestedAtom(body, (atom) => {
    const whole = rename(atom.key);
    if (whole) {
      atom.key = whole.text;
      atom.reads = [whole.root];
      atom.memory = true;
      condReads.add(whole.root);
      return;
    }
    const sides = comparisonSides(atom.key);
    if (!sides) return;
    const [a, b] = sides.map(rename) as [AccessPath | undefined, AccessPath | undefined];
    if (!a && !b) return;
    const atomNow = comparisonAtom(a?.text ?? sides[0], b?.text ?? sides[1], atom.test);
    atom.key = atomNow.key;
    atom.test = atomNow.truth;
    atom.reads = [...new Set([...atom.reads.filter((r) => r !== sides[0] && r !== sides[1] && !embedded.has(r)), ...[a, b].flatMap((x) => (x ? [x.root] : []))])];
    atom.memory = true;
    for (const x of [a, b]) if (x) condReads.add(x.root);
  });
}

/**
 * The copies whose source (the member, or an object on its path) the body writes where a test
 * of the copy may come after: walking the body as written, a test of the copy after the first
 * such write, inside a loop, or after a label.
 */
function writtenAfterTests(body: Stmt, copies: ReadonlyMap<string, AccessPath>, around: ReadonlySet<string>): Set<string> {
  const testedThrough = new Set<string>();
  if (around.size) {
    // Either side of a comparison too (`T_INIT<=>cppi->state`).
    eachTestedAtom(body, (atom) => {
      for (const m of atom.key.matchAll(/(?<![\w>.])([A-Za-z_]\w*)->\w+/g)) if (around.has(m[1] as string)) testedThrough.add(m[0]);
    });
  }
  const firstWrite = new Map<string, number>();
  const lastTest = new Map<string, number>();
  const testedInLoop = new Set<string>();
  let at = 0;
  let firstLabel = Infinity;
  const op = (o: Op): void => {
    at++;
    const target = o.k === 'set' ? o.target : o.assignTo;
    if (target === undefined) return;
    for (const [local, path] of copies) {
      // A store through the object around a pointer to a member it tests (`cppi->irq = 0`)
      // writes what the tests read. Its root's own copy (`host = __hci`) is no write of it.
      const through = around.has(local) && testedThrough.has(target);
      const rootCopy = around.has(local) && copies.get(path.root)?.fields.length === 0;
      const source = target === path.root ? !rootCopy : path.text === target || path.text.startsWith(`${target}->`) || path.text.startsWith(`${target}.`);
      if ((through || source) && !firstWrite.has(local)) firstWrite.set(local, at);
    }
  };
  const cond = (c: Cond | null, inLoop: boolean): void => {
    if (!c) return;
    if (c.k === 'atom') {
      at++;
      for (const local of copies.keys()) {
        if (!c.reads.includes(local)) continue;
        lastTest.set(local, at);
        if (inLoop) testedInLoop.add(local);
      }
    } else if (c.k === 'not') cond(c.c, inLoop);
    else if (c.k === 'and' || c.k === 'or') {
      cond(c.a, inLoop);
      cond(c.b, inLoop);
    } else if (c.k === 'call') {
      c.pre.forEach(op);
      op(c.ev);
    } else if (c.k === 'other') c.ops.forEach(op);
  };
  const stmt = (st: Stmt, inLoop: boolean): void => {
    switch (st.k) {
      case 'block':
        for (const b of st.body) stmt(b, inLoop);
        break;
      case 'ops':
      case 'return':
        st.ops.forEach(op);
        break;
      case 'if':
        cond(st.cond, inLoop);
        stmt(st.then, inLoop);
        if (st.else) stmt(st.else, inLoop);
        break;
      case 'loop':
        cond(st.cond, true);
        stmt(st.body, true);
        st.post.forEach(op);
        break;
      case 'switch':
        st.pre.forEach(op);
        for (const t of st.tests ?? []) cond(t, inLoop);
        for (const c of st.cases) for (const b of c) stmt(b, inLoop);
        break;
      case 'scoped':
        stmt(st.body, inLoop);
        break;
      case 'label':
        firstLabel = Math.min(firstLabel, ++at);
        break;
      default:
        break;
    }
  };
  stmt(body, false);
  const out = new Set<string>();
  for (const [local, w] of firstWrite) {
    const t = lastTest.get(local);
    if (t === undefined || t > w || t > firstLabel || testedInLoop.has(local)) out.add(local);
  }
  return out;
}
