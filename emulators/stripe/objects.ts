// Real-shaped Stripe objects. Fields the emulator never changes are still present (with the
// values Stripe returns for a plain card Checkout) so code reading them sees what production sends.
import { invalidRequest } from "./errors";
import type { Metadata, Params } from "./form";
import { limitParam, optionalString } from "./form";

export interface Price {
  id: string;
  object: "price";
  active: boolean;
  billing_scheme: "per_unit";
  created: number;
  currency: string;
  custom_unit_amount: null;
  livemode: false;
  lookup_key: null;
  metadata: Metadata;
  nickname: null;
  product: string;
  recurring: null;
  tax_behavior: "unspecified";
  tiers_mode: null;
  transform_quantity: null;
  type: "one_time";
  unit_amount: number;
  unit_amount_decimal: string;
}

export interface LineItem {
  id: string;
  object: "item";
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  price: Price;
  quantity: number;
}

export interface CustomerDetails {
  address: null;
  email: string | null;
  name: string | null;
  phone: null;
  tax_exempt: "none";
  tax_ids: [];
}

export type SessionStatus = "open" | "complete" | "expired";

export interface CheckoutSession {
  id: string;
  object: "checkout.session";
  after_expiration: null;
  allow_promotion_codes: null;
  amount_subtotal: number;
  amount_total: number;
  automatic_tax: { enabled: false; liability: null; status: null };
  billing_address_collection: null;
  cancel_url: string | null;
  client_reference_id: string | null;
  client_secret: null;
  consent: null;
  consent_collection: null;
  created: number;
  currency: string;
  custom_fields: [];
  custom_text: {
    after_submit: null;
    shipping_address: null;
    submit: null;
    terms_of_service_acceptance: null;
  };
  customer: null;
  customer_creation: "if_required";
  customer_details: CustomerDetails | null;
  customer_email: string | null;
  expires_at: number;
  invoice: null;
  invoice_creation: { enabled: false; invoice_data: Params };
  livemode: false;
  locale: string | null;
  metadata: Metadata;
  mode: "payment";
  payment_intent: string | null;
  payment_link: null;
  payment_method_collection: "if_required";
  payment_method_options: Params;
  payment_method_types: string[];
  payment_status: "unpaid" | "paid";
  phone_number_collection: { enabled: false };
  recovered_from: null;
  setup_intent: null;
  shipping_address_collection: null;
  shipping_cost: null;
  shipping_options: [];
  status: SessionStatus;
  submit_type: string | null;
  subscription: null;
  success_url: string | null;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
  ui_mode: "hosted";
  url: string | null;
}

export interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_details: { tip: Params };
  amount_received: number;
  application: null;
  application_fee_amount: null;
  automatic_payment_methods: null;
  canceled_at: null;
  cancellation_reason: null;
  capture_method: "automatic_async";
  client_secret: string;
  confirmation_method: "automatic";
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  last_payment_error: null;
  latest_charge: string;
  livemode: false;
  metadata: Metadata;
  next_action: null;
  on_behalf_of: null;
  payment_method: string;
  payment_method_types: string[];
  receipt_email: string | null;
  setup_future_usage: null;
  shipping: null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: "succeeded";
  transfer_data: null;
  transfer_group: null;
}

export interface CardDetails {
  brand: string;
  country: string;
  exp_month: number;
  exp_year: number;
  funding: "credit" | "debit";
  last4: string;
}

export interface Charge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: string;
  billing_details: { address: null; email: string | null; name: null; phone: null };
  calculated_statement_descriptor: string;
  captured: true;
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  disputed: false;
  failure_code: null;
  failure_message: null;
  livemode: false;
  metadata: Metadata;
  outcome: {
    network_status: "approved_by_network";
    reason: null;
    risk_level: "normal";
    seller_message: string;
    type: "authorized";
  };
  paid: true;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { card: CardDetails; type: "card" };
  receipt_email: string | null;
  receipt_url: string;
  refunded: boolean;
  status: "succeeded";
}

export type RefundReason = "duplicate" | "fraudulent" | "requested_by_customer";

export interface Refund {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: string;
  charge: string;
  created: number;
  currency: string;
  destination_details: {
    card: { reference_status: "pending"; reference_type: "acquirer_reference_number"; type: "refund" };
    type: "card";
  };
  failure_balance_transaction?: string;
  failure_reason?: string;
  metadata: Metadata;
  payment_intent: string;
  reason: RefundReason | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: "pending" | "succeeded" | "failed";
  transfer_reversal: null;
}

export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Params };
  livemode: false;
  pending_webhooks: number;
  request: RequestRef;
  type: string;
}

export interface ListObject<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/** Lists are newest first with `starting_after` / `ending_before` cursors, like Stripe's. */
export function paginate<T extends { id: string }>(
  newestFirst: T[],
  url: string,
  params: Params,
): ListObject<T> {
  const limit = limitParam(params);
  const startingAfter = optionalString(params, "starting_after");
  const endingBefore = optionalString(params, "ending_before");
  let items = newestFirst;
  if (startingAfter) {
    const index = items.findIndex((item) => item.id === startingAfter);
    if (index < 0)
      throw invalidRequest(`No such object: '${startingAfter}'`, "starting_after", "resource_missing");
    items = items.slice(index + 1);
  } else if (endingBefore) {
    const index = items.findIndex((item) => item.id === endingBefore);
    if (index < 0)
      throw invalidRequest(`No such object: '${endingBefore}'`, "ending_before", "resource_missing");
    items = items.slice(Math.max(0, index - limit), index);
    return { object: "list", data: items, has_more: index - limit > 0, url };
  }
  return { object: "list", data: items.slice(0, limit), has_more: items.length > limit, url };
}

/** Minor units per major unit for a currency (100 for EUR, 1 for JPY), via Intl's ISO 4217 data. */
export function minorUnitFactor(currency: string): number {
  const digits = new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  return 10 ** (digits ?? 2);
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(
    amount / minorUnitFactor(currency),
  );
}

export function isKnownCurrency(currency: string): boolean {
  if (!/^[a-z]{3}$/.test(currency)) return false;
  try {
    new Intl.NumberFormat("en-US", { style: "currency", currency });
    return Intl.supportedValuesOf("currency").includes(currency.toUpperCase());
  } catch {
    return false;
  }
}
