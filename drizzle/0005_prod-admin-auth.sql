CREATE TABLE "login_throttles" (
	"account_key" text NOT NULL,
	"client_key" text NOT NULL,
	"failures" integer NOT NULL,
	"blocked_until" timestamp with time zone NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	CONSTRAINT "login_throttles_account_key_client_key_pk" PRIMARY KEY("account_key","client_key"),
	CONSTRAINT "login_throttles_failures_positive" CHECK ("login_throttles"."failures" > 0),
	CONSTRAINT "login_throttles_blocked_after_failure" CHECK ("login_throttles"."blocked_until" >= "login_throttles"."last_failure_at")
);
--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "admin_users" ADD COLUMN "role" text DEFAULT 'admin' NOT NULL;--> statement-breakpoint
ALTER TABLE "admin_users" ADD COLUMN "last_login_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "login_throttles_last_failure" ON "login_throttles" USING btree ("last_failure_at");--> statement-breakpoint
ALTER TABLE "admin_users" DROP COLUMN "failed_logins";--> statement-breakpoint
ALTER TABLE "admin_users" DROP COLUMN "locked_until";--> statement-breakpoint
-- Ended sessions are dead weight and would break the check below (their "last seen" is now()).
DELETE FROM "admin_sessions" WHERE "expires_at" <= now();--> statement-breakpoint
-- Sign-ins were audited before last_login_at existed: carry the latest over.
UPDATE "admin_users" u SET "last_login_at" = (
	SELECT max(a."at") FROM "audit_log" a WHERE a."action" = 'auth.login' AND a."admin_user_id" = u."id"
);--> statement-breakpoint
-- Per-account failure rows fed the account lock, which is gone; the per-address rows stay in use.
DELETE FROM "login_attempts" WHERE "key" LIKE 'account:%';--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_seen_in_life" CHECK ("admin_sessions"."last_seen_at" <= "admin_sessions"."expires_at");--> statement-breakpoint
ALTER TABLE "admin_users" ADD CONSTRAINT "admin_users_role" CHECK ("admin_users"."role" in ('admin', 'checkin'));