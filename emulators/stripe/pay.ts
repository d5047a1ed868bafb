import { type CardField, type CardForm, checkCard } from "./cards";
import { assertPayable, completeSession, type Payment } from "./checkout";
import { cardError, invalidRequest, type StripeErrorBody } from "./errors";
import type { Emit, Store } from "./store";

export type PayResult =
  | { ok: true; payment: Payment }
  | { ok: false; status: 400 | 402; field: CardField | null; error: StripeErrorBody };

/**
 * One payment attempt, shared by the hosted page and the control API so both have identical
 * effects. Throws (ApiError) when the session is unknown or no longer open; a declined or
 * invalid card changes nothing and is returned, not thrown.
 */
export function attemptPayment(store: Store, emit: Emit, sessionId: string, form: CardForm): PayResult {
  assertPayable(store, sessionId, emit);
  const check = checkCard(form);
  if (check.ok) {
    return { ok: true, payment: completeSession(store, sessionId, check.card, form.email.trim(), emit) };
  }
  if (check.field !== null) {
    return {
      ok: false,
      status: 400,
      field: check.field,
      error: invalidRequest(check.message, check.field).body,
    };
  }
  return {
    ok: false,
    status: 402,
    field: null,
    error: cardError(check.message, check.code, check.declineCode).body,
  };
}
