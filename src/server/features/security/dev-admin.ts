/**
 * The development admin account that `npm run dev` and `npm run db:seed` create outside production. Its
 * password is in this repository, so `startupProblems` (startup-checks.ts) refuses to start production
 * while the account exists.
 */
export const DEV_ADMIN = { email: "admin@traverse.local", password: "traverse-admin" };
