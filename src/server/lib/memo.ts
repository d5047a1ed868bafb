/**
 * Process-local state a feature keeps between calls (search's hints, the port directory, the email batch
 * pacing), owned by one Services object instead of a module-level variable: a test that builds its own
 * Services starts from nothing, and nothing needs resetting between tests.
 *
 * A feature declares its slot once, next to the code that uses it, with `memoKey`; `svc.memo.get(key)`
 * creates the value on first use. Keys are compared by identity, so two features cannot collide.
 */
export interface MemoKey<T> {
  /** For debugging only. */
  readonly name: string;
  create(): T;
}

export function memoKey<T>(name: string, create: () => T): MemoKey<T> {
  return { name, create };
}

export class Memo {
  private readonly slots = new Map<MemoKey<unknown>, unknown>();

  get<T>(key: MemoKey<T>): T {
    if (!this.slots.has(key)) this.slots.set(key, key.create());
    return this.slots.get(key) as T;
  }
}
