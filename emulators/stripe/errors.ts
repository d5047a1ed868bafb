// Stripe's error envelope. The SDK picks its error class from the HTTP status plus `type`
// (400/404 → StripeInvalidRequestError, 402 → StripeCardError, 5xx → StripeAPIError,
// type idempotency_error → StripeIdempotencyError), so both must match the real API.

export type StripeErrorType =
  | "api_error"
  | "card_error"
  | "idempotency_error"
  | "invalid_request_error"
  | "rate_limit_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;
}

export function invalidRequest(message: string, param?: string, code?: string): ApiError {
  const body: StripeErrorBody = { type: "invalid_request_error", message };
  if (code) {
    body.code = code;
    body.doc_url = docUrl(code);
  }
  if (param) body.param = param;
  return new ApiError(400, body);
}

/** `objectName` is Stripe's object type, e.g. `checkout.session`, `payment_intent`. */
export function resourceMissing(objectName: string, id: string, param: string): ApiError {
  return new ApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    doc_url: docUrl("resource_missing"),
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}

export function missingParam(param: string): ApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing");
}

export function cardError(message: string, code: string, declineCode?: string): ApiError {
  const body: StripeErrorBody = { type: "card_error", code, doc_url: docUrl(code), message };
  if (declineCode) body.decline_code = declineCode;
  return new ApiError(402, body);
}

export function unrecognizedUrl(method: string, path: string): ApiError {
  return new ApiError(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

/** A real Stripe parameter the emulator does not model: refused loudly, never silently ignored. */
export function unsupported(param: string): ApiError {
  return invalidRequest(
    `The Stripe emulator does not support the \`${param}\` parameter. Extend emulators/stripe if the app needs it.`,
    param,
  );
}
