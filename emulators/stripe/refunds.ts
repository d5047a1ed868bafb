import { ApiError, invalidRequest, resourceMissing } from "./errors";
import {
  assertKnownParams,
  enumParam,
  metadataParam,
  optionalInteger,
  optionalString,
  type Params,
} from "./form";
import { newId, nowSeconds } from "./ids";
import { type Charge, formatMoney, type Refund, type RefundReason, type RequestRef } from "./objects";
import { type Emit, NO_REQUEST, type Store } from "./store";

const REFUND_PARAMS = [
  "amount",
  "charge",
  "payment_intent",
  "reason",
  "metadata",
  "expand",
  "instructions_email",
  "refund_application_fee",
  "reverse_transfer",
] as const;

const REASONS: readonly RefundReason[] = ["duplicate", "fraudulent", "requested_by_customer"];

function resolveCharge(store: Store, params: Params): Charge {
  const chargeId = optionalString(params, "charge");
  const intentId = optionalString(params, "payment_intent");
  if (chargeId && intentId) {
    throw invalidRequest(
      "You can only specify one of these parameters: charge, payment_intent.",
      "payment_intent",
    );
  }
  if (intentId) {
    const intent = store.paymentIntents.get(intentId);
    if (!intent) throw resourceMissing("payment_intent", intentId, "payment_intent");
    const charge = store.charges.get(intent.latest_charge);
    if (!charge) throw resourceMissing("charge", intent.latest_charge, "payment_intent");
    return charge;
  }
  if (chargeId) {
    const charge = store.charges.get(chargeId);
    if (!charge) throw resourceMissing("charge", chargeId, "charge");
    return charge;
  }
  throw invalidRequest(
    "One of the following params should be provided for this request: payment_intent or charge.",
  );
}

export interface RefundDeps {
  store: Store;
  emit: Emit;
  /** How many upcoming refunds should fail (set through the control API); decremented here. */
  takeFailure: () => boolean;
  /** Runs `fn` later; tracked by the caller so reset/close can cancel it. */
  later: (fn: () => void) => void;
}

function applyToCharge(charge: Charge, delta: number, emit: Emit | null, request: RequestRef): void {
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += delta;
  charge.refunded = charge.amount_refunded >= charge.amount;
  emit?.("charge.refunded", charge, request, previous);
}

export function createRefund(deps: RefundDeps, params: Params, request: RequestRef): Refund {
  assertKnownParams(params, REFUND_PARAMS);
  const charge = resolveCharge(deps.store, params);
  const requested = optionalInteger(params, "amount");
  if (requested !== undefined && requested < 1) {
    throw invalidRequest("Invalid positive integer", "amount", "parameter_invalid_integer");
  }
  const reason = enumParam(params, "reason", REASONS) ?? null;
  const metadata = metadataParam(params);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw new ApiError(400, {
      type: "invalid_request_error",
      code: "charge_already_refunded",
      doc_url: "https://stripe.com/docs/error-codes/charge-already-refunded",
      message: `Charge ${charge.id} has already been refunded.`,
    });
  }
  const amount = requested ?? remaining;
  if (amount > remaining) {
    // Stripe sends no `code` for this one, only the param.
    throw invalidRequest(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
      "amount",
    );
  }
  const willFail = deps.takeFailure();
  const refund: Refund = {
    id: newId("re"),
    object: "refund",
    amount,
    balance_transaction: newId("txn"),
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    destination_details: {
      card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
      type: "card",
    },
    metadata,
    payment_intent: charge.payment_intent,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    // Card refunds succeed at once in test mode; a failing one sits in `pending` first, as in production.
    status: willFail ? "pending" : "succeeded",
    transfer_reversal: null,
  };
  deps.store.refunds.set(refund.id, refund);
  // amount_refunded counts pending refunds too; a failed refund gives the amount back.
  applyToCharge(charge, amount, deps.emit, request);
  deps.emit("refund.created", refund, request);
  if (willFail) deps.later(() => failRefund(deps, refund.id));
  return refund;
}

function failRefund(deps: RefundDeps, refundId: string): void {
  const refund = deps.store.refunds.get(refundId);
  if (refund?.status !== "pending") return;
  const charge = deps.store.charges.get(refund.charge);
  refund.status = "failed";
  refund.failure_reason = "expired_or_canceled_card";
  refund.failure_balance_transaction = newId("txn");
  if (charge) applyToCharge(charge, -refund.amount, null, NO_REQUEST);
  deps.emit("refund.updated", refund, NO_REQUEST, { status: "pending" });
  deps.emit("refund.failed", refund, NO_REQUEST);
}

export function getRefund(store: Store, id: string): Refund {
  const refund = store.refunds.get(id);
  if (!refund) throw resourceMissing("refund", id, "refund");
  return refund;
}
