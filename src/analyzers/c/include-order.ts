/**
 * The files a file sees by quoted `#include`, nearest first: the start files, what they include,
 * what those include, for `levels` levels, each file once. Where a name two headers define
 * differently comes from (a typedef, a struct tag) is the first of them in this order.
 */
export function* seenNearestFirst(start: readonly string[], includesOf: (path: string) => readonly string[] | undefined, levels: number): Generator<string> {
  const done = new Set<string>();
  let level = start;
  for (let depth = 0; depth < levels && level.length; depth++) {
    const next: string[] = [];
    for (const f of level) {
      if (done.has(f)) continue;
      done.add(f);
      yield f;
      next.push(...(includesOf(f) ?? []));
    }
    level = next;
  }
}
