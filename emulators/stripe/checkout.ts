import { ApiError, invalidRequest, missingParam, resourceMissing, unsupported } from "./errors";
import {
  assertKnownParams,
  enumParam,
  isRecord,
  metadataParam,
  optionalArray,
  optionalInteger,
  optionalObject,
  optionalString,
  type Params,
  requiredString,
} from "./form";
import { newId, nowSeconds, randomToken } from "./ids";
import {
  type CardDetails,
  type Charge,
  type CheckoutSession,
  formatMoney,
  isKnownCurrency,
  type LineItem,
  type PaymentIntent,
  type RequestRef,
} from "./objects";
import { type Emit, NO_REQUEST, type SessionRecord, type Store } from "./store";

// Parameters the emulator implements.
const SUPPORTED = [
  "mode",
  "line_items",
  "client_reference_id",
  "customer_email",
  "metadata",
  "success_url",
  "cancel_url",
  "expires_at",
  "payment_intent_data",
  "expand",
  // Cosmetic on the hosted page; accepted and echoed or ignored.
  "locale",
  "payment_method_types",
  "submit_type",
] as const;

// Real Stripe parameters the emulator does not model. They are refused loudly rather than
// silently ignored, so nobody ships code whose behaviour was never exercised locally.
const UNSUPPORTED = [
  "adaptive_pricing",
  "after_expiration",
  "allow_promotion_codes",
  "automatic_tax",
  "billing_address_collection",
  "branding_settings",
  "consent_collection",
  "currency",
  "custom_fields",
  "custom_text",
  "customer",
  "customer_creation",
  "customer_update",
  "discounts",
  "invoice_creation",
  "name_collection",
  "optional_items",
  "origin_context",
  "payment_method_collection",
  "payment_method_configuration",
  "payment_method_data",
  "payment_method_options",
  "permissions",
  "phone_number_collection",
  "redirect_on_completion",
  "return_url",
  "saved_payment_method_options",
  "setup_intent_data",
  "shipping_address_collection",
  "shipping_options",
  "subscription_data",
  "tax_id_collection",
  "ui_mode",
  "wallet_options",
];

const PAYMENT_INTENT_DATA = ["metadata", "description", "receipt_email"] as const;

// Stripe's floor and ceiling for `expires_at`, measured from session creation.
const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;

// Stripe's minimum charge per currency (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
const MINIMUM_CHARGE: Record<string, number> = { usd: 50, eur: 50, gbp: 30, chf: 50, cad: 50, aud: 50 };

function validUrl(params: Params, key: string): string | null {
  const value = optionalString(params, key);
  if (value === undefined || value === "") return null;
  try {
    // `{CHECKOUT_SESSION_ID}` is legal in Stripe URLs; braces are fine for the URL parser.
    new URL(value);
  } catch {
    throw invalidRequest("Not a valid URL", key, "url_invalid");
  }
  return value;
}

function parseLineItems(params: Params, now: number): { items: LineItem[]; currency: string } {
  const raw = optionalArray(params, "line_items");
  if (!raw || raw.length === 0) throw missingParam("line_items");
  let currency: string | undefined;
  const items = raw.map((entry, index): LineItem => {
    const path = `line_items[${index}]`;
    if (!isRecord(entry)) throw invalidRequest("Invalid object", path);
    assertKnownParams(
      entry,
      ["price", "price_data", "quantity", "adjustable_quantity", "tax_rates", "dynamic_tax_rates"],
      path,
    );
    if (entry.adjustable_quantity !== undefined) throw unsupported(`${path}[adjustable_quantity]`);
    if (entry.tax_rates !== undefined || entry.dynamic_tax_rates !== undefined)
      throw unsupported(`${path}[tax_rates]`);
    const priceId = optionalString(entry, "price", `${path}[price]`);
    // Only inline prices exist here: no Price objects can be created, so any id is unknown.
    if (priceId) throw resourceMissing("price", priceId, `${path}[price]`);
    const priceData = optionalObject(entry, "price_data", `${path}[price_data]`);
    if (!priceData) throw missingParam(`${path}[price_data]`);
    const pricePath = `${path}[price_data]`;
    assertKnownParams(
      priceData,
      [
        "currency",
        "product_data",
        "product",
        "unit_amount",
        "unit_amount_decimal",
        "tax_behavior",
        "recurring",
      ],
      pricePath,
    );
    if (priceData.recurring !== undefined) throw unsupported(`${pricePath}[recurring]`);
    const itemCurrency = requiredString(priceData, "currency", `${pricePath}[currency]`).toLowerCase();
    if (!isKnownCurrency(itemCurrency)) {
      throw invalidRequest(
        `Invalid currency: ${itemCurrency}.`,
        `${pricePath}[currency]`,
        "parameter_invalid_string",
      );
    }
    if (currency !== undefined && currency !== itemCurrency) {
      throw invalidRequest("All line items must have the same currency.", `${pricePath}[currency]`);
    }
    currency = itemCurrency;
    const productId = optionalString(priceData, "product", `${pricePath}[product]`);
    if (productId) throw resourceMissing("product", productId, `${pricePath}[product]`);
    const productData = optionalObject(priceData, "product_data", `${pricePath}[product_data]`);
    if (!productData) throw missingParam(`${pricePath}[product_data]`);
    assertKnownParams(
      productData,
      ["name", "description", "images", "metadata", "tax_code", "unit_label"],
      `${pricePath}[product_data]`,
    );
    const name = requiredString(productData, "name", `${pricePath}[product_data][name]`);
    let unitAmount = optionalInteger(priceData, "unit_amount", `${pricePath}[unit_amount]`);
    const decimal = optionalString(priceData, "unit_amount_decimal", `${pricePath}[unit_amount_decimal]`);
    if (unitAmount === undefined && decimal !== undefined) {
      if (!/^\d+$/.test(decimal)) throw unsupported(`${pricePath}[unit_amount_decimal]`);
      unitAmount = Number(decimal);
    }
    if (unitAmount === undefined) throw missingParam(`${pricePath}[unit_amount]`);
    if (unitAmount < 0) {
      throw invalidRequest("This value must be greater than or equal to 0.", `${pricePath}[unit_amount]`);
    }
    const quantity = optionalInteger(entry, "quantity", `${path}[quantity]`);
    if (quantity === undefined) throw missingParam(`${path}[quantity]`);
    if (quantity < 1)
      throw invalidRequest("This value must be greater than or equal to 1.", `${path}[quantity]`);
    const total = unitAmount * quantity;
    return {
      id: newId("li"),
      object: "item",
      amount_discount: 0,
      amount_subtotal: total,
      amount_tax: 0,
      amount_total: total,
      currency: itemCurrency,
      description: name,
      price: {
        id: newId("price"),
        object: "price",
        active: false,
        billing_scheme: "per_unit",
        created: now,
        currency: itemCurrency,
        custom_unit_amount: null,
        livemode: false,
        lookup_key: null,
        metadata: {},
        nickname: null,
        product: newId("prod", 14),
        recurring: null,
        tax_behavior: "unspecified",
        tiers_mode: null,
        transform_quantity: null,
        type: "one_time",
        unit_amount: unitAmount,
        unit_amount_decimal: String(unitAmount),
      },
      quantity,
    };
  });
  return { items, currency: currency ?? "usd" };
}

export function createSession(store: Store, params: Params, publicUrl: string): CheckoutSession {
  for (const key of Object.keys(params)) {
    if (UNSUPPORTED.includes(key)) throw unsupported(key);
  }
  assertKnownParams(params, SUPPORTED);
  const mode = enumParam(params, "mode", ["payment", "setup", "subscription"] as const);
  if (!mode) throw missingParam("mode");
  if (mode !== "payment") throw unsupported("mode");
  const now = nowSeconds();
  const { items, currency } = parseLineItems(params, now);
  const amount = items.reduce((sum, item) => sum + item.amount_total, 0);
  const minimum = MINIMUM_CHARGE[currency];
  if (minimum !== undefined && amount < minimum) {
    throw invalidRequest(
      `The Checkout Session's total amount due must add up to at least ${formatMoney(minimum, currency)} ${currency}`,
      "line_items",
      "amount_too_small",
    );
  }
  const expiresAt = optionalInteger(params, "expires_at");
  if (expiresAt !== undefined && expiresAt - now < MIN_EXPIRY_SECONDS) {
    throw invalidRequest(
      "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
      "expires_at",
    );
  }
  if (expiresAt !== undefined && expiresAt - now > MAX_EXPIRY_SECONDS) {
    throw invalidRequest(
      "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
      "expires_at",
    );
  }
  const customerEmail = optionalString(params, "customer_email") || null;
  if (customerEmail !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) {
    throw invalidRequest(`Invalid email address: ${customerEmail}`, "customer_email", "email_invalid");
  }
  const clientReferenceId = optionalString(params, "client_reference_id") || null;
  if (clientReferenceId !== null && clientReferenceId.length > 200) {
    throw invalidRequest("Invalid string: must be at most 200 characters", "client_reference_id");
  }
  const piData = optionalObject(params, "payment_intent_data") ?? {};
  for (const key of Object.keys(piData)) {
    if (!(PAYMENT_INTENT_DATA as readonly string[]).includes(key))
      throw unsupported(`payment_intent_data[${key}]`);
  }
  const methodTypes = optionalArray(params, "payment_method_types");
  if (methodTypes?.some((type) => type !== "card")) throw unsupported("payment_method_types");
  const id = `cs_test_${randomToken(58)}`;
  const session: CheckoutSession = {
    id,
    object: "checkout.session",
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: amount,
    amount_total: amount,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: validUrl(params, "cancel_url"),
    client_reference_id: clientReferenceId,
    client_secret: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: null,
    customer_creation: "if_required",
    customer_details: customerEmail
      ? { address: null, email: customerEmail, name: null, phone: null, tax_exempt: "none", tax_ids: [] }
      : null,
    customer_email: customerEmail,
    expires_at: expiresAt ?? now + MAX_EXPIRY_SECONDS,
    invoice: null,
    invoice_creation: { enabled: false, invoice_data: {} },
    livemode: false,
    locale: optionalString(params, "locale") ?? null,
    metadata: metadataParam(params),
    mode: "payment",
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_status: "unpaid",
    phone_number_collection: { enabled: false },
    recovered_from: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: optionalString(params, "submit_type") ?? null,
    subscription: null,
    success_url: validUrl(params, "success_url"),
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: `${publicUrl}/pay/${id}`,
  };
  store.sessions.set(id, {
    session,
    lineItems: items,
    paymentIntentData: {
      metadata: metadataParam(piData, "metadata", "payment_intent_data[metadata]"),
      description: optionalString(piData, "description", "payment_intent_data[description]") ?? null,
      receiptEmail: optionalString(piData, "receipt_email", "payment_intent_data[receipt_email]") ?? null,
    },
  });
  return session;
}

export function getSessionRecord(store: Store, id: string): SessionRecord {
  const record = store.sessions.get(id);
  if (!record) throw resourceMissing("checkout.session", id, "session");
  return record;
}

function markExpired(record: SessionRecord, emit: Emit, request: RequestRef): void {
  record.session.status = "expired";
  record.session.url = null;
  emit("checkout.session.expired", record.session, request);
}

export function expireSession(store: Store, id: string, emit: Emit, request: RequestRef): CheckoutSession {
  const record = getSessionRecord(store, id);
  if (record.session.status !== "open") {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ['open'] can be expired. This Checkout Session has a status of ${record.session.status}.`,
      "session",
    );
  }
  markExpired(record, emit, request);
  return record.session;
}

/** Called every second: Stripe expires open sessions on its own once `expires_at` passes. */
export function expireDueSessions(store: Store, emit: Emit, now = nowSeconds()): number {
  let expired = 0;
  for (const record of store.sessions.values()) {
    if (record.session.status === "open" && record.session.expires_at <= now) {
      markExpired(record, emit, NO_REQUEST);
      expired++;
    }
  }
  return expired;
}

export interface Payment {
  session: CheckoutSession;
  paymentIntent: PaymentIntent;
  /** success_url with `{CHECKOUT_SESSION_ID}` substituted, or null when the session has none. */
  redirectUrl: string | null;
}

/** Refuses payment unless the session is open, expiring it first if its time is up. */
export function assertPayable(store: Store, id: string, emit: Emit): SessionRecord {
  const record = getSessionRecord(store, id);
  if (record.session.status === "open" && record.session.expires_at <= nowSeconds()) {
    markExpired(record, emit, NO_REQUEST);
  }
  if (record.session.status !== "open") {
    throw new ApiError(400, {
      type: "invalid_request_error",
      code: "checkout_session_not_open",
      message: `This Checkout Session is ${record.session.status} and can no longer be paid.`,
    });
  }
  return record;
}

/** An approved card: the PaymentIntent and Charge Stripe creates, then checkout.session.completed. */
export function completeSession(
  store: Store,
  id: string,
  card: CardDetails,
  email: string,
  emit: Emit,
): Payment {
  const record = assertPayable(store, id, emit);
  const { session, paymentIntentData } = record;
  const now = nowSeconds();
  const piId = newId("pi");
  const chargeId = newId("ch");
  const paymentMethod = newId("pm");
  const paymentIntent: PaymentIntent = {
    id: piId,
    object: "payment_intent",
    amount: session.amount_total,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: session.amount_total,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${piId}_secret_${randomToken(25)}`,
    confirmation_method: "automatic",
    created: now,
    currency: session.currency,
    customer: null,
    description: paymentIntentData.description,
    last_payment_error: null,
    latest_charge: chargeId,
    livemode: false,
    metadata: { ...paymentIntentData.metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_types: ["card"],
    receipt_email: paymentIntentData.receiptEmail,
    setup_future_usage: null,
    shipping: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
  const charge: Charge = {
    id: chargeId,
    object: "charge",
    amount: session.amount_total,
    amount_captured: session.amount_total,
    amount_refunded: 0,
    balance_transaction: newId("txn"),
    billing_details: { address: null, email, name: null, phone: null },
    calculated_statement_descriptor: "TRAVERSE",
    captured: true,
    created: now,
    currency: session.currency,
    customer: null,
    description: paymentIntentData.description,
    disputed: false,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: { ...paymentIntentData.metadata },
    outcome: {
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: piId,
    payment_method: paymentMethod,
    payment_method_details: { card, type: "card" },
    receipt_email: paymentIntentData.receiptEmail,
    receipt_url: `https://pay.stripe.com/receipts/payment/${randomToken(40)}`,
    refunded: false,
    status: "succeeded",
  };
  store.paymentIntents.set(piId, paymentIntent);
  store.charges.set(chargeId, charge);
  session.status = "complete";
  session.payment_status = "paid";
  session.payment_intent = piId;
  session.url = null;
  session.customer_details = {
    address: null,
    email,
    name: null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
  emit("checkout.session.completed", session, NO_REQUEST);
  const redirectUrl = session.success_url?.replaceAll("{CHECKOUT_SESSION_ID}", session.id) ?? null;
  return { session, paymentIntent, redirectUrl };
}
