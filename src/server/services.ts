import type Stripe from "stripe";
import { env, required } from "@/env";
import { createDb, type Db } from "@/server/db/client";
import { Cache } from "@/server/features/cache/cache";
import { redisFromEnv } from "@/server/features/cache/redis-client";
import { type EmailTransport, emailTransportFromEnv } from "@/server/features/email/resend-client";
import { createOperatorDirectory, type OperatorDirectory } from "@/server/features/operators/directory";
import { stripeFromEnv } from "@/server/features/payments/stripe-client";
import { type Clock, systemClock } from "@/server/lib/clock";
import { type Logger, log } from "@/server/lib/log";
import { observeOperatorCall } from "@/server/lib/metrics";
import { Memo } from "@/server/lib/memo";

/**
 * Fair use of inventory (features/booking/limits.ts): creates per client address, unpaid bookings per
 * contact email, unpaid places one client holds on one sailing. From the environment unless overridden.
 */
export interface BookingLimits {
  createsPerClient: number;
  unpaidPerEmail: number;
  heldPlacesPerClient: number;
}

export function configuredBookingLimits(): BookingLimits {
  return {
    createsPerClient: env.BOOKING_CREATES_PER_CLIENT,
    unpaidPerEmail: env.BOOKING_UNPAID_PER_EMAIL,
    heldPlacesPerClient: env.BOOKING_HELD_PLACES_PER_CLIENT,
  };
}

/**
 * Everything a feature needs from its process, built once: by the app (src/server/app-services.ts), by
 * the worker (worker/index.ts) and by each test for itself. Feature functions take it first:
 * `createBooking(svc, input)`, `cancelSailing(svc, actor, input)`.
 */
export interface Services {
  readonly db: Db;
  /** The display cache in front of Postgres; degrades to "miss" when Redis is slow or down. */
  readonly cache: Cache;
  /**
   * Created on first use, so a process without STRIPE_SECRET_KEY still runs everything that never pays
   * (search, emails, sweeps); reading it without a key throws a ConfigError that names the variable.
   */
  readonly stripe: Stripe;
  /** The Resend transport; created on first use like `stripe` (RESEND_API_KEY). */
  readonly email: EmailTransport;
  readonly clock: Clock;
  readonly log: Logger;
  readonly limits: BookingLimits;
  /** Process-local state features keep between calls (see src/server/lib/memo.ts). */
  readonly memo: Memo;
  /**
   * Every operator and, for each enabled connected one, its connector behind its own breaker
   * (features/operators/directory.ts). Loaded from the `operators` rows on first use, then kept: the
   * breakers and call statistics live as long as the process.
   */
  operators(): Promise<OperatorDirectory>;
  /** Closes what this object opened itself (the database pool when it made one). */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** A database of the caller's (tests); otherwise a pool on DATABASE_URL that `close()` ends. */
  db?: Db;
  /** Pool size when the factory opens the pool itself. */
  poolSize?: number;
  cache?: Cache;
  stripe?: Stripe;
  email?: EmailTransport;
  clock?: Clock;
  log?: Logger;
  limits?: BookingLimits;
  operators?: OperatorDirectory;
}

/** Builds one Services object; whatever is not overridden comes from the environment (src/env.ts). */
export function createServices(o: ServiceOverrides = {}): Services {
  // A pool of its own only when the caller brings no database: then `close()` ends it.
  const pool = o.db
    ? undefined
    : createDb(required("DATABASE_URL", "It must point at PostgreSQL 15 or newer."), { max: o.poolSize });
  let stripe = o.stripe;
  let email = o.email;
  const db = o.db ?? pool!.db;
  const clock = o.clock ?? systemClock;
  const logger = o.log ?? log;
  let operators: Promise<OperatorDirectory> | undefined = o.operators
    ? Promise.resolve(o.operators)
    : undefined;
  return {
    db,
    cache: o.cache ?? new Cache(redisFromEnv()),
    get stripe() {
      stripe ??= stripeFromEnv();
      return stripe;
    },
    get email() {
      email ??= emailTransportFromEnv();
      return email;
    },
    clock,
    log: logger,
    limits: o.limits ?? configuredBookingLimits(),
    memo: new Memo(),
    operators() {
      operators ??= createOperatorDirectory({
        db,
        clock: () => clock.now().getTime(),
        log: logger,
        onCall: observeOperatorCall,
      });
      // A failed first load (database down) is not kept: the next call tries again.
      operators.catch(() => {
        operators = undefined;
      });
      return operators;
    },
    async close() {
      await pool?.close();
    },
  };
}
