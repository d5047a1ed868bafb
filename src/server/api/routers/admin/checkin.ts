import { boardingSailings } from "@/server/features/tickets/checkin";
import { createTRPCRouter, staffProcedure } from "../../trpc";

/**
 * admin.checkin — for the check-in page (admins and check-in staff). Scans themselves go to
 * `POST /api/checkin`, which port scanners call directly.
 */
export const adminCheckinRouter = createTRPCRouter({
  /** Sailings boarding now or within twelve hours, to choose the one being boarded. */
  sailings: staffProcedure.query(({ ctx }) => boardingSailings(ctx.svc)),
});
