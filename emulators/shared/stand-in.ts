// For tests: an object a test file makes in `beforeAll`, named once at the top of the file as a constant.

/**
 * Stands for an object a test file makes in `beforeAll`, so the file can name it once, at the top, as a
 * constant. Reading it before the object exists (outside hooks and tests) throws.
 */
export function standIn<T extends object>(current: () => T | undefined, what: string): T {
  const real = () => {
    const v = current();
    if (!v) throw new Error(`${what} is made in beforeAll: read it inside hooks and tests.`);
    return v;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const v = real();
      const value = Reflect.get(v, key, v);
      return typeof value === "function" ? value.bind(v) : value;
    },
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(_, key) {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
  });
}
