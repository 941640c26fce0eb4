/** What the bench scripts measure of a step: wall and CPU time (every thread) and the process's peak RSS after it. */
export const peakMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

export interface Timed<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
  peakMiB: number;
}

export async function timed<T>(run: () => T | Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: Math.round(performance.now() - t), cpuMs: Math.round((used.user + used.system) / 1000), peakMiB: peakMiB() };
}

/** The figures without the step's result, for the JSON line. */
export function figures<T>(r: Timed<T>): Omit<Timed<T>, 'value'> {
  const { value: _v, ...rest } = r;
  return rest;
}
