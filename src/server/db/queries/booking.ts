import {
  and,
  asc,
  type BuildQueryResult,
  type DBQueryConfig,
  eq,
  type ExtractTablesWithRelations,
  inArray,
  type SQL,
  sql,
} from "drizzle-orm";
import type { DbOrTx, Schema } from "@/server/db/client";
import { adminUsers, auditLog } from "@/server/db/schema/admin";
import { bookings } from "@/server/db/schema/bookings";
import { type SailingView, sailingWith, toSailingView } from "./sailing-view";

/**
 * The one read model of a booking. Each projection names what its readers need, and the whole booking comes
 * back from one relational query (the admin projection adds the audit entries, in parallel):
 *
 * - `document`: what the emails and the printable ticket page print (`features/email`, `features/tickets`);
 * - `traveller`: the manage-booking page, with payments and refunds (`booking/view.ts`);
 * - `admin`: the admin booking page, with passengers' details, Stripe ids, emails and audit entries
 *   (`booking/admin-detail.ts`). Passport numbers stay in the database: admins see whether one was given.
 *
 * Every projection has the same legs (`BookingLeg`), so a per-leg fact is added once, in `legs` below.
 */

type Tables = ExtractTablesWithRelations<Schema>;
type BookingQuery = DBQueryConfig<"many", true, Tables, Tables["bookings"]>;

const legs = {
  columns: { direction: true, accommodation: true, operatorReference: true },
  // OUTBOUND sorts before RETURN: itinerary order.
  orderBy: (l, o) => [o.asc(l.direction)],
  with: { sailing: sailingWith },
} satisfies DBQueryConfig<"many", false, Tables, Tables["bookingLegs"]>;

const priceLines = {
  columns: {
    direction: true,
    kind: true,
    passengerType: true,
    accommodation: true,
    vehicleType: true,
    description: true,
    quantity: true,
    unitAmount: true,
    amount: true,
    currency: true,
  },
  orderBy: (l, o) => [o.asc(l.id)],
} satisfies DBQueryConfig<"many", false, Tables, Tables["priceLines"]>;

const passengerNames = { id: true, type: true, firstName: true, lastName: true } as const;

const bookingColumns = {
  id: true,
  reference: true,
  locale: true,
  status: true,
  contactEmail: true,
  totalAmount: true,
  currency: true,
} as const;

/** What the traveller's page adds to the document: the booking's dates and the vehicle's size. */
const travellerColumns = {
  ...bookingColumns,
  holdExpiresAt: true,
  createdAt: true,
  confirmedAt: true,
  cancelledAt: true,
} as const;
const sizedVehicle = { columns: { type: true, registration: true, heightCm: true, lengthCm: true } } as const;
const byPosition = { orderBy: (p, o) => [o.asc(p.position)] } satisfies DBQueryConfig<
  "many",
  false,
  Tables,
  Tables["passengers"]
>;

const projections = {
  document: {
    columns: bookingColumns,
    with: {
      legs,
      passengers: { columns: { ...passengerNames, position: true }, ...byPosition },
      vehicle: { columns: { type: true, registration: true } },
      priceLines,
    },
  },
  traveller: {
    columns: travellerColumns,
    with: {
      legs,
      passengers: { columns: passengerNames, ...byPosition },
      vehicle: sizedVehicle,
      priceLines,
      payments: {
        columns: {
          id: true,
          status: true,
          amount: true,
          amountRefunded: true,
          currency: true,
          createdAt: true,
        },
        orderBy: (p, o) => [o.asc(p.createdAt)],
      },
      refunds: {
        columns: { id: true, status: true, amount: true, currency: true, createdAt: true },
        orderBy: (r, o) => [o.asc(r.createdAt)],
      },
    },
  },
  admin: {
    columns: { ...travellerColumns, expiredAt: true, contactPhone: true },
    with: {
      legs,
      passengers: {
        columns: { ...passengerNames, dateOfBirth: true, nationality: true },
        extras: (p, o) => ({
          hasDocument: o.sql<boolean>`${p.documentNumber} is not null`.as("has_document"),
        }),
        ...byPosition,
      },
      vehicle: sizedVehicle,
      priceLines,
      payments: { orderBy: (p, o) => [o.asc(p.createdAt)] },
      refunds: {
        orderBy: (r, o) => [o.asc(r.createdAt)],
        with: { createdByAdmin: { columns: { email: true } } },
      },
      emails: {
        columns: {
          id: true,
          kind: true,
          status: true,
          recipient: true,
          attempts: true,
          lastError: true,
          createdAt: true,
          sentAt: true,
          updatedAt: true,
        },
        orderBy: (e, o) => [o.asc(e.createdAt)],
      },
    },
  },
} satisfies Record<string, BookingQuery>;

export type Projection = keyof typeof projections;

/** A leg with its sailing, the same in every projection. */
export interface BookingLeg {
  direction: "OUTBOUND" | "RETURN";
  accommodation: Loaded<"document">["legs"][number]["accommodation"];
  /** The connected operator's own booking reference for this leg; null for own operators' legs. */
  operatorReference: string | null;
  sailingId: number;
  sailingStatus: SailingView["status"];
  departureAt: Date;
  arrivalAt: Date;
  from: SailingView["from"];
  to: SailingView["to"];
  operator: SailingView["operator"];
  vessel: string;
  refundPolicy: SailingView["route"]["refundPolicy"];
}

export interface AuditEntry {
  id: number;
  at: Date;
  action: string;
  adminEmail: string | null;
  before: unknown;
  after: unknown;
}

type Loaded<P extends Projection> = BuildQueryResult<Tables, Tables["bookings"], (typeof projections)[P]>;

export type BookingRead<P extends Projection> = Omit<Loaded<P>, "legs"> & {
  legs: BookingLeg[];
} & (P extends "admin" ? { audit: AuditEntry[] } : unknown);

export type BookingKey = { id: string } | { reference: string };

export async function loadBooking<P extends Projection>(
  db: DbOrTx,
  key: BookingKey,
  projection: P,
): Promise<BookingRead<P> | null> {
  const where = "id" in key ? eq(bookings.id, key.id) : eq(bookings.reference, key.reference);
  const [found] = await read(db, where, projection);
  return found ?? null;
}

/** Many bookings in one query, whatever their number: the batch email path renders 100 at a time. */
export async function loadBookings<P extends Projection>(
  db: DbOrTx,
  ids: string[],
  projection: P,
): Promise<Map<string, BookingRead<P>>> {
  const rows = ids.length ? await read(db, inArray(bookings.id, ids), projection) : [];
  return new Map(rows.map((b) => [b.id, b]));
}

async function read<P extends Projection>(db: DbOrTx, where: SQL, projection: P): Promise<BookingRead<P>[]> {
  const config: BookingQuery = projections[projection];
  const [rows, audit] = await Promise.all([
    // The projection decides the shape; TypeScript cannot follow a generic key into the query's result.
    db.query.bookings.findMany({ ...config, where }) as unknown as Promise<LoadedRow[]>,
    projection === "admin" ? auditEntries(db, where) : [],
  ]);
  return rows.map((b) => ({
    ...b,
    legs: b.legs.map(toBookingLeg),
    ...(projection === "admin"
      ? { audit: audit.filter((a) => a.bookingId === b.id).map(({ bookingId, ...a }) => a) }
      : {}),
  })) as unknown as BookingRead<P>[];
}

/** What every projection has in common, which is all `read` itself touches. */
type LoadedRow = { id: string; legs: Loaded<"document">["legs"] };

function toBookingLeg(l: Loaded<"document">["legs"][number]): BookingLeg {
  const s = toSailingView(l.sailing);
  return {
    direction: l.direction,
    accommodation: l.accommodation,
    operatorReference: l.operatorReference,
    sailingId: s.id,
    sailingStatus: s.status,
    departureAt: s.departureAt,
    arrivalAt: s.arrivalAt,
    from: s.from,
    to: s.to,
    operator: s.operator,
    vessel: s.vessel.name,
    refundPolicy: s.route.refundPolicy,
  };
}

/** The audit log names a booking by its id as text, so it is read beside the relational query. */
function auditEntries(db: DbOrTx, where: SQL) {
  const ids = db
    .select({ id: sql<string>`${bookings.id}::text` })
    .from(bookings)
    .where(where);
  return db
    .select({
      bookingId: auditLog.entityId,
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      adminEmail: adminUsers.email,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(adminUsers, eq(adminUsers.id, auditLog.adminUserId))
    .where(and(eq(auditLog.entity, "booking"), inArray(auditLog.entityId, ids)))
    .orderBy(asc(auditLog.at));
}

/** What an email or the printable ticket page prints about a booking. */
export type BookingDocument = BookingRead<"document">;
export type DocumentPassenger = BookingDocument["passengers"][number];
