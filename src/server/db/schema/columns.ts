import { integer, type ReferenceConfig, text, uuid } from "drizzle-orm/pg-core";

type Target = ReferenceConfig["ref"];
type Actions = ReferenceConfig["actions"];

// Required foreign keys: NOT NULL columns referencing `target` (with `actions`, e.g. cascade on delete).
export const integerRef = <N extends string>(name: N, target: Target, actions?: Actions) =>
  integer(name).notNull().references(target, actions);
export const uuidRef = <N extends string>(name: N, target: Target, actions?: Actions) =>
  uuid(name).notNull().references(target, actions);
export const textRef = <N extends string>(name: N, target: Target, actions?: Actions) =>
  text(name).notNull().references(target, actions);
