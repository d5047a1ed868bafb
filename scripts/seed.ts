import { ConfigError, isProduction, required } from "../src/env";
import { createDb } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { DEV_ADMIN } from "../src/server/features/security/dev-admin";
import { seedDatabase } from "../src/server/seed/seed";

/** `npm run db:seed`: idempotent demo data; the dev admin account is never created in production. */
async function main() {
  const url = required("DATABASE_URL", "`npm run dev` seeds its own database automatically.");
  await migrateDatabase(url);
  const handle = createDb(url, { max: 2 });
  try {
    const res = await seedDatabase(handle.db, { devAdmin: isProduction ? null : DEV_ADMIN });
    console.log(`seed done: ${res.sailingsCreated} new sailings`);
  } finally {
    await handle.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
