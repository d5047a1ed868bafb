import type { Params } from "./form";
import type { Charge, CheckoutSession, LineItem, PaymentIntent, Refund, RequestRef } from "./objects";

export interface SessionRecord {
  session: CheckoutSession;
  lineItems: LineItem[];
  // payment_intent_data is applied to the PaymentIntent that only exists once the session is paid.
  paymentIntentData: {
    metadata: Record<string, string>;
    description: string | null;
    receiptEmail: string | null;
  };
}

/** Queues an event; `object` is snapshotted at call time, as Stripe snapshots it at emit time. */
export type Emit = (type: string, object: unknown, request: RequestRef, previous?: Params) => void;

export const NO_REQUEST: RequestRef = { id: null, idempotency_key: null };

/** All API state, in memory. Maps keep insertion order, which is creation order. */
export class Store {
  readonly sessions = new Map<string, SessionRecord>();
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();

  clear(): void {
    this.sessions.clear();
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
  }
}

export function newestFirst<T>(map: Map<string, T>): T[] {
  return [...map.values()].reverse();
}
