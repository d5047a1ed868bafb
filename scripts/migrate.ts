import { ConfigError, required } from "../src/env";
import { migrateDatabase } from "../src/server/db/migrate";

migrateDatabase(required("DATABASE_URL"))
  .then(() => console.log("migrations applied"))
  .catch((e) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  });
