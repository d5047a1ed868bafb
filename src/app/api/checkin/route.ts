import { appUrl } from "@/env";
import { appServices } from "@/server/app-services";
import { requireStaff, STAFF_ROLES } from "@/server/features/auth/guard";
import { sameOriginProblem } from "@/server/features/security/same-origin";
import { checkInInput, checkInTicket } from "@/server/features/tickets/checkin";
import { isAppError } from "@/server/lib/errors";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

function refused(status: number, error: string, reason?: unknown) {
  return Response.json({ error, ...(reason ? { reason } : {}) }, { status, headers: noStore });
}

/**
 * Port check-in: POST `{ code, sailingId }` (the scanned code, and the sailing being boarded) with a staff
 * session cookie → `{ result: valid | invalid | already_used, reason?, message, … }`. In order: the
 * same-origin JSON rule (a cross-site page cannot board passengers with a staff member's cookie), then the
 * same guard as the tRPC procedures (`requireStaff`, session read from the database; check-in staff or
 * admins), then the input.
 */
export async function POST(req: Request) {
  const crossSite = sameOriginProblem(req.headers, appUrl());
  if (crossSite) return refused(403, crossSite, "CROSS_SITE_REQUEST");
  const svc = appServices();
  try {
    await requireStaff(svc, req.headers, STAFF_ROLES);
  } catch (e) {
    if (isAppError(e)) return refused(e.httpStatus, e.message, e.details?.reason);
    throw e;
  }
  let json: unknown;
  try {
    json = await req.json();
  } catch {
    return refused(400, 'Send JSON: { "code": "TRV1…", "sailingId": 123 }.');
  }
  const parsed = checkInInput.safeParse(json);
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((i) => i.path[0]));
    return refused(
      400,
      fields.has("code")
        ? "`code` must be the text of the scanned QR code (1–512 characters)."
        : "`sailingId` must be the id of the sailing being boarded (choose it on the check-in page).",
    );
  }
  const result = await checkInTicket(svc, parsed.data);
  return Response.json(result, { headers: noStore });
}
