// The four Resend email endpoints, as pure functions of parsed input → ApiResponse.
import { randomUUID } from "node:crypto";
import { type ApiResponse, errorResponse, errors, FieldError } from "./errors";
import type { CapturedEmail, EmulatorState, LastEvent } from "./state";
import { type EmailInput, MAX_BATCH_SIZE, validateEmail } from "./validation";

interface Capture {
  state: EmulatorState;
  now: number;
  idempotencyKey: string | null;
}

function lastEventFor(input: EmailInput, now: number): LastEvent {
  if (input.scheduledAt === null) return "delivered";
  const at = Date.parse(input.scheduledAt);
  // Natural-language schedules ("in 1 min") are accepted by Resend; treat them as still pending.
  return Number.isNaN(at) || at > now ? "scheduled" : "delivered";
}

function capture(input: EmailInput, ctx: Capture, batch: boolean): CapturedEmail {
  const email: CapturedEmail = {
    ...input,
    id: randomUUID(),
    createdAt: new Date(ctx.now).toISOString(),
    lastEvent: lastEventFor(input, ctx.now),
    idempotencyKey: ctx.idempotencyKey,
    batch,
  };
  ctx.state.addEmail(email);
  return email;
}

export function sendEmail(body: unknown, ctx: Capture): ApiResponse {
  try {
    const email = capture(validateEmail(body, { batch: false }), ctx, false);
    return { status: 200, body: { id: email.id } };
  } catch (error) {
    if (error instanceof FieldError) return errors.fromField(error);
    throw error;
  }
}

export type BatchValidation = "strict" | "permissive";

export function sendBatch(body: unknown, mode: BatchValidation, ctx: Capture): ApiResponse {
  if (!Array.isArray(body)) {
    return errorResponse(422, "validation_error", "The request body must be an array of emails.");
  }
  if (body.length === 0) {
    return errorResponse(422, "validation_error", "The request body must contain at least one email.");
  }
  if (body.length > MAX_BATCH_SIZE) {
    return errorResponse(
      422,
      "validation_error",
      `Too many emails in the batch. The maximum is ${MAX_BATCH_SIZE}.`,
    );
  }
  const valid: EmailInput[] = [];
  const failures: { index: number; message: string }[] = [];
  for (const [index, item] of body.entries()) {
    try {
      valid.push(validateEmail(item, { batch: true }));
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      // Strict (the default) is all-or-nothing: nothing is stored when any item is invalid.
      if (mode === "strict") {
        return errorResponse(422, error.errorName, `${error.message} (email at index ${index})`);
      }
      failures.push({ index, message: error.message });
    }
  }
  const data = valid.map((input) => ({ id: capture(input, ctx, true).id }));
  return { status: 200, body: mode === "permissive" ? { data, errors: failures } : { data } };
}

/** Resend's timestamps look like Postgres output: microseconds and an explicit +00:00. */
function resendTimestamp(iso: string): string {
  return iso.replace("Z", "000+00:00");
}

function listItem(email: CapturedEmail) {
  return {
    id: email.id,
    to: email.to,
    from: email.from,
    created_at: resendTimestamp(email.createdAt),
    subject: email.subject,
    bcc: email.bcc,
    cc: email.cc,
    reply_to: email.replyTo,
    last_event: email.lastEvent,
    scheduled_at: email.scheduledAt,
    message_id: `<${email.id}@emulator.resend.local>`,
  };
}

export function getEmail(state: EmulatorState, id: string): ApiResponse {
  const email = state.findEmail(id);
  if (!email) return errors.emailNotFound();
  return {
    status: 200,
    body: { object: "email", ...listItem(email), html: email.html, text: email.text, tags: email.tags },
  };
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** Cursor pagination as documented: the cursor is an email id and is excluded from the page. */
export function listEmails(state: EmulatorState, query: URLSearchParams): ApiResponse {
  const limitParam = query.get("limit");
  const after = query.get("after");
  const before = query.get("before");
  const limit = limitParam === null ? DEFAULT_LIMIT : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return errorResponse(
      422,
      "validation_error",
      `The \`limit\` parameter must be between 1 and ${MAX_LIMIT}.`,
    );
  }
  if (after !== null && before !== null) {
    return errorResponse(422, "validation_error", "You can only use one of `after` or `before`, not both.");
  }
  const all = state.emails();
  const cursor = after ?? before;
  const cursorIndex = cursor === null ? -1 : all.findIndex((email) => email.id === cursor);
  if (cursor !== null && cursorIndex === -1) {
    return errorResponse(
      422,
      "validation_error",
      `The \`${after !== null ? "after" : "before"}\` cursor is not a known email id.`,
    );
  }
  let page: CapturedEmail[];
  let hasMore: boolean;
  if (before !== null) {
    // Newer items than the cursor: the `limit` closest to it.
    const start = Math.max(0, cursorIndex - limit);
    page = all.slice(start, cursorIndex);
    hasMore = start > 0;
  } else {
    const start = after !== null ? cursorIndex + 1 : 0;
    page = all.slice(start, start + limit);
    hasMore = start + limit < all.length;
  }
  return { status: 200, body: { object: "list", has_more: hasMore, data: page.map(listItem) } };
}
