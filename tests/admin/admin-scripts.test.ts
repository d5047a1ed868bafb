import { spawn } from "node:child_process";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminUsers, auditLog, loginThrottles } from "@/server/db/schema/admin";
import { login } from "@/server/features/auth/login";
import { accountKey } from "@/server/features/auth/throttle";
import { svcAt } from "../helpers/services";
import { testDbForFile } from "../helpers/per-file";

/** `npm run admin:create -- … --role` and `npm run admin:unlock -- <email>`, run as an operator would. */

const { t, svc } = testDbForFile();

function npm(args: string[], input = ""): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", ...args], {
      env: {
        PATH: `${process.execPath.replace(/\/node$/, "")}:${process.env.PATH}`,
        HOME: process.env.HOME,
        DATABASE_URL: t.url,
      } as unknown as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.stdin.end(input);
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("npm run admin:create", () => {
  it("creates check-in staff with --role checkin, and refuses an unknown role", async () => {
    const pw = "quay side password 1\nquay side password 1\n";
    const made = await npm(["admin:create", "--", "Quay.Staff@traverse.test", "--role", "checkin"], pw);
    expect(made).toMatchObject({
      code: 0,
      out: expect.stringContaining("Check-in staff account quay.staff@traverse.test created."),
    });
    const [row] = await t.db
      .select()
      .from(adminUsers)
      .where(eq(adminUsers.email, "quay.staff@traverse.test"));
    expect(row!.role).toBe("checkin");

    const bad = await npm(["admin:create", "--", "boss@traverse.test", "--role", "root"], pw);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('--role must be admin or checkin, not "root". Nothing was created.');
    expect(await t.db.select().from(adminUsers).where(eq(adminUsers.email, "boss@traverse.test"))).toEqual(
      [],
    );
  }, 90_000);
});

describe("npm run admin:unlock", () => {
  it("clears every client's sign-in delay on the account, and the audit log says it came from the command line", async () => {
    const email = "locked.out@traverse.test";
    const { createAdminUser } = await import("@/server/features/auth/login");
    const admin = await createAdminUser(svc, { email, password: "a long enough password" });
    const now = new Date();
    for (const ip of ["192.0.2.1", "192.0.2.2"]) {
      for (let i = 0; i < 4; i++)
        await login(svcAt(svc, now), { email, password: `guess ${i}`, ip }).catch(() => {});
    }
    const key = accountKey(email);
    expect(await t.db.select().from(loginThrottles).where(eq(loginThrottles.accountKey, key))).toHaveLength(
      2,
    );

    const run = await npm(["admin:unlock", "--", "Locked.Out@traverse.test"]);
    expect(run).toMatchObject({
      code: 0,
      out: expect.stringContaining(`${email} unlocked: sign-in delays cleared for 2 client addresses.`),
    });
    expect(await t.db.select().from(loginThrottles).where(eq(loginThrottles.accountKey, key))).toEqual([]);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.unlock"), eq(auditLog.entityId, admin.id)));
    expect(audit).toMatchObject({ adminUserId: null, after: { clientsCleared: 2, via: "command line" } });
    // The same client that was being delayed gets straight in now.
    await expect(
      login(svcAt(svc, now), { email, password: "a long enough password", ip: "192.0.2.1" }),
    ).resolves.toMatchObject({
      admin: { email },
    });

    const unknown = await npm(["admin:unlock", "--", "nobody@traverse.test"]);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain("No admin account has the email nobody@traverse.test.");
  }, 90_000);
});
