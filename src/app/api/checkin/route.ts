import { z } from "zod";
import { getDb } from "@/server/db/client";
import { getAdminSession } from "@/server/features/auth/session";
import { checkInTicket } from "@/server/features/tickets/checkin";

export const dynamic = "force-dynamic";

const body = z.object({ code: z.string().trim().min(1).max(512) });

const noStore = { "cache-control": "no-store" };

/**
 * Port check-in: POST `{ code }` with an admin session cookie → `{ result: valid | invalid | already_used, … }`.
 * The session is checked here, against the database, before anything else (DESIGN §7.3).
 */
export async function POST(req: Request) {
  const db = getDb();
  const session = await getAdminSession(db, req.headers);
  if (!session) {
    return Response.json(
      { error: "Sign in as staff to check tickets in." },
      { status: 401, headers: noStore },
    );
  }
  let json: unknown;
  try {
    json = await req.json();
  } catch {
    return Response.json({ error: 'Send JSON: { "code": "TRV1…" }.' }, { status: 400, headers: noStore });
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) {
    return Response.json(
      { error: "`code` must be the text of the scanned QR code (1–512 characters)." },
      { status: 400, headers: noStore },
    );
  }
  const result = await checkInTicket(db, parsed.data.code);
  return Response.json(result, { headers: noStore });
}
