import { appServices } from "@/server/app-services";
import { receiveOperatorPush } from "@/server/features/operators/change-sync";
import { readBodyCapped } from "@/server/lib/body-limit";
import { isAppError } from "@/server/lib/errors";

export const dynamic = "force-dynamic";

/** One change of an operator's feed is well under a KiB. */
const PUSH_MAX_BODY_BYTES = 64 * 1024;

/** A connected operator → us: one signed change (raw body read once: the signature covers its bytes). */
export async function POST(req: Request, ctx: { params: Promise<{ code: string }> }) {
  const { code } = await ctx.params;
  const body = await readBodyCapped(req, PUSH_MAX_BODY_BYTES);
  if (!body) return Response.json({ error: "Payload too large." }, { status: 413 });
  const svc = appServices();
  try {
    const r = await receiveOperatorPush(svc, {
      code,
      rawBody: new TextDecoder().decode(body),
      signature: req.headers.get("x-operator-signature"),
    });
    return Response.json(r);
  } catch (e) {
    if (isAppError(e) && e.httpStatus < 500)
      return Response.json({ error: e.message }, { status: e.httpStatus });
    // The operator retries with backoff, and the change feed carries the same change anyway.
    svc.log.error("operator push not applied", { operator: code.slice(0, 3) });
    return Response.json({ error: "Temporarily unavailable" }, { status: 503 });
  }
}
