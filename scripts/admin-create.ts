import { createInterface } from "node:readline";
import { ConfigError, required } from "../src/env";
import { createDb } from "../src/server/db/client";
import { ADMIN_ROLES, type AdminRole } from "../src/server/db/schema/admin";
import { createAdminUser, normaliseEmail, passwordProblem } from "../src/server/features/auth/login";
import { isAppError } from "../src/server/lib/errors";
import { createServices } from "../src/server/services";

/**
 * `npm run admin:create -- <email> [--name "Full Name"] [--role admin|checkin]`: creates a staff account,
 * an admin by default (`checkin`: port staff, who can only check tickets in). The password is typed
 * twice at a prompt that does not echo it, so it never lands in shell history or `ps` output. When stdin
 * is not a terminal (provisioning scripts), the password is read from its first two lines instead.
 */

async function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stdout.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return done();
        if (ch === "\u0003") return done(new Error("Cancelled."));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPiped(): Promise<[string, string]> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines: string[] = [];
  for await (const line of rl) {
    lines.push(line);
    if (lines.length === 2) break;
  }
  rl.close();
  return [lines[0] ?? "", lines[1] ?? ""];
}

const USAGE = `Usage: npm run admin:create -- <email> [--name "Full Name"] [--role ${ADMIN_ROLES.join("|")}]`;

function parseArgs(argv: string[]): { email: string; name: string; role: AdminRole } {
  let email = "";
  let name = "";
  let role = "admin";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--name") name = argv[++i] ?? "";
    else if (a === "--role") role = argv[++i] ?? "";
    else if (a.startsWith("--role=")) role = a.slice("--role=".length);
    else if (a.startsWith("--")) throw new ConfigError(`Unknown option ${a}.\n${USAGE}`);
    else if (!email) email = a;
  }
  if (!email) throw new ConfigError(USAGE);
  const known = ADMIN_ROLES.find((r) => r === role);
  if (!known) {
    throw new ConfigError(`--role must be ${ADMIN_ROLES.join(" or ")}, not "${role}". Nothing was created.`);
  }
  return { email: normaliseEmail(email), name, role: known };
}

async function main() {
  const { email, name, role } = parseArgs(process.argv.slice(2));
  const url = required("DATABASE_URL", "Point it at the database the admin should be created in.");
  let password: string;
  let again: string;
  if (process.stdin.isTTY) {
    for (;;) {
      password = await readHidden(`Password for ${email} (at least 12 characters): `);
      const problem = passwordProblem(password);
      if (!problem) break;
      console.error(problem);
    }
    again = await readHidden("Repeat the password: ");
  } else {
    [password, again] = await readPiped();
  }
  if (password !== again) throw new ConfigError("The two passwords differ. Nothing was created.");
  const problem = passwordProblem(password);
  if (problem) throw new ConfigError(`${problem} Nothing was created.`);

  const handle = createDb(url, { max: 1 });
  const svc = createServices({ db: handle.db });
  try {
    const admin = await createAdminUser(svc, { email, password, name, role });
    console.log(`${admin.role === "admin" ? "Admin" : "Check-in staff account"} ${admin.email} created.`);
  } finally {
    await handle.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError || isAppError(e) ? e.message : e);
  process.exit(1);
});
