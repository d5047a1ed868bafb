import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { uuidRef } from "./columns";

/** `admin`: everything in the admin area. `checkin`: port staff, who only check tickets in. */
export const ADMIN_ROLES = ["admin", "checkin"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const adminUsers = pgTable(
  "admin_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<AdminRole>().notNull().default("admin"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [oneOf("admin_users_role", t.role, ADMIN_ROLES)],
);

/** Database sessions: the cookie holds a random token, the table only its SHA-256. */
export const adminSessions = pgTable(
  "admin_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuidRef("user_id", () => adminUsers.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** The absolute end of the session, whatever the activity. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Last request seen (written at most once a minute): the session ends after a quiet spell. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("admin_sessions_user").on(t.userId),
    check("admin_sessions_seen_in_life", sql`${t.lastSeenAt} <= ${t.expiresAt}`),
  ],
);

/** Failed logins per client address (hashed), for the per-address limits across app instances. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("login_attempts_key_at").on(t.key, t.at)],
);

/**
 * Sign-in throttling per (account, client address), both hashed: the growing delay applies only to the
 * client that keeps failing, so a stranger's wrong passwords never stop the admin signing in from
 * elsewhere. `failures` counts attempts since the last success; `blocked_until` is when that client may
 * try that account again.
 */
export const loginThrottles = pgTable(
  "login_throttles",
  {
    accountKey: text("account_key").notNull(),
    clientKey: text("client_key").notNull(),
    failures: integer("failures").notNull(),
    blockedUntil: timestamp("blocked_until", { withTimezone: true }).notNull(),
    lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountKey, t.clientKey] }),
    index("login_throttles_last_failure").on(t.lastFailureAt),
    check("login_throttles_failures_positive", sql`${t.failures} > 0`),
    check("login_throttles_blocked_after_failure", sql`${t.blockedUntil} >= ${t.lastFailureAt}`),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    adminUserId: uuid("admin_user_id").references(() => adminUsers.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_at").on(t.at), index("audit_log_entity").on(t.entity, t.entityId)],
);
