import { ConfigError, required } from "../src/env";
import { createDb } from "../src/server/db/client";
import { unlockAdminByEmail } from "../src/server/features/auth/admins";
import { isAppError } from "../src/server/lib/errors";
import { createServices } from "../src/server/services";

/**
 * `npm run admin:unlock -- <email>`: ends every sign-in delay on that admin account, from every client
 * address (the same as Unlock on the admin's Admins page, for when nobody can sign in). Audited, with the
 * command line as the actor.
 */
async function main() {
  const email = process.argv.slice(2).find((a) => !a.startsWith("--"));
  if (!email) throw new ConfigError("Usage: npm run admin:unlock -- <email>");
  const handle = createDb(required("DATABASE_URL", "Point it at the database the admin is in."), { max: 1 });
  try {
    const r = await unlockAdminByEmail(createServices({ db: handle.db }), email);
    console.log(
      r.clientsCleared === 0
        ? `${r.email} had no sign-in delay; nothing to clear (recorded in the audit log).`
        : `${r.email} unlocked: sign-in delays cleared for ${r.clientsCleared} client address${r.clientsCleared === 1 ? "" : "es"}.`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError || isAppError(e) ? e.message : e);
  process.exit(1);
});
