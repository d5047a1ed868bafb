// `expand[]` support: replaces id strings with the objects they name, and materialises
// `line_items` on Checkout Sessions (which Stripe only includes when expanded).
import { invalidRequest } from "./errors";
import { isRecord, type Params } from "./form";
import type { ListObject } from "./objects";
import type { Store } from "./store";

function lookup(store: Store, id: string): unknown {
  if (id.startsWith("cs_")) return store.sessions.get(id)?.session;
  if (id.startsWith("pi_")) return store.paymentIntents.get(id);
  if (id.startsWith("ch_")) return store.charges.get(id);
  if (id.startsWith("re_")) return store.refunds.get(id);
  return undefined;
}

function notExpandable(path: string): never {
  throw invalidRequest(`This property cannot be expanded (${path}).`, "expand");
}

function expandPath(store: Store, target: Params, segments: string[], fullPath: string): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (head === "line_items" && target.object === "checkout.session" && typeof target.id === "string") {
    const record = store.sessions.get(target.id);
    const list: ListObject<unknown> = {
      object: "list",
      data: structuredClone(record?.lineItems ?? []),
      has_more: false,
      url: `/v1/checkout/sessions/${target.id}/line_items`,
    };
    target.line_items = list;
    if (rest.length > 0) notExpandable(fullPath);
    return;
  }
  if (!(head in target)) notExpandable(fullPath);
  let value = target[head];
  if (typeof value === "string") {
    const found = lookup(store, value);
    if (found === undefined) notExpandable(fullPath);
    value = structuredClone(found);
    target[head] = value;
  }
  if (rest.length === 0) return;
  if (value === null) return;
  if (!isRecord(value)) notExpandable(fullPath);
  expandPath(store, value, rest, fullPath);
}

/** Returns a deep copy of `object` with `paths` expanded; the stored object is never touched. */
export function expand<T>(store: Store, object: T, paths: string[]): T {
  const copy = structuredClone(object) as T;
  for (const path of paths) {
    if (isRecord(copy)) expandPath(store, copy, path.split("."), path);
  }
  return copy;
}

/** For lists Stripe wants `data.<field>`; anything else cannot be expanded on a list. */
export function expandList<T>(store: Store, list: ListObject<T>, paths: string[]): ListObject<T> {
  const itemPaths = paths.map((path) => {
    if (!path.startsWith("data.")) notExpandable(path);
    return path.slice("data.".length);
  });
  return { ...list, data: list.data.map((item) => expand(store, item, itemPaths)) };
}
