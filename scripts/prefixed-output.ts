const colours = [36, 33, 35, 32, 34, 31, 96, 93];
const assigned = new Map<string, number>();

/** Writes `[name] line` with a stable colour per source, so interleaved logs stay readable. */
export function prefixed(name: string, line: string): void {
  if (!assigned.has(name)) assigned.set(name, colours[assigned.size % colours.length] as number);
  const colour = process.stdout.isTTY ? assigned.get(name) : undefined;
  const tag = `[${name}]`.padEnd(10);
  console.log(colour ? `\x1b[${colour}m${tag}\x1b[0m ${line}` : `${tag} ${line}`);
}
