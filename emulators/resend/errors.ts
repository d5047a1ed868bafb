// Resend's error body is `{ statusCode, message, name }`; the SDK hands the parsed body back as
// `error` unchanged, so names and status codes here are part of the contract the app codes against.
// Names and default messages follow https://resend.com/docs/api-reference/errors.

export type ResendErrorName =
  | "missing_api_key"
  | "invalid_api_key"
  | "validation_error"
  | "missing_required_field"
  | "invalid_attachment"
  | "invalid_idempotency_key"
  | "invalid_idempotent_request"
  | "concurrent_idempotent_requests"
  | "not_found"
  | "method_not_allowed"
  | "rate_limit_exceeded"
  | "internal_server_error";

export interface ResendErrorBody {
  statusCode: number;
  message: string;
  name: ResendErrorName;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function errorResponse(
  status: number,
  name: ResendErrorName,
  message: string,
  headers?: Record<string, string>,
): ApiResponse {
  const body: ResendErrorBody = { statusCode: status, message, name };
  return { status, body, headers };
}

/** A field-level problem found while validating a request body. */
export class FieldError extends Error {
  constructor(
    readonly errorName: "validation_error" | "missing_required_field" | "invalid_attachment",
    message: string,
  ) {
    super(message);
  }
}

export const errors = {
  missingApiKey: () => errorResponse(401, "missing_api_key", "Missing API key in the authorization header."),
  invalidApiKey: () => errorResponse(403, "invalid_api_key", "API key is invalid."),
  invalidIdempotencyKey: () =>
    errorResponse(400, "invalid_idempotency_key", "The key must be between 1-256 chars."),
  idempotencyMismatch: () =>
    errorResponse(
      409,
      "invalid_idempotent_request",
      "Same idempotency key used with a different request payload.",
    ),
  idempotencyInProgress: () =>
    errorResponse(
      409,
      "concurrent_idempotent_requests",
      "Same idempotency key used while original request is still in progress.",
    ),
  notFoundEndpoint: () => errorResponse(404, "not_found", "The requested endpoint does not exist."),
  emailNotFound: () => errorResponse(404, "not_found", "Email not found"),
  methodNotAllowed: () =>
    errorResponse(405, "method_not_allowed", "Method is not allowed for the requested path."),
  invalidJson: () => errorResponse(400, "validation_error", "The request body is not valid JSON."),
  bodyTooLarge: () => errorResponse(413, "validation_error", "The request body is too large."),
  rateLimited: (headers: Record<string, string>) =>
    errorResponse(
      429,
      "rate_limit_exceeded",
      "Too many requests. Please limit the number of requests per second. Or contact support to increase rate limit.",
      headers,
    ),
  internal: (status: 500 | 503 = 500) =>
    errorResponse(
      status,
      "internal_server_error",
      status === 503
        ? "The service is temporarily unavailable. Please try again later."
        : "An unexpected error occurred.",
    ),
  fromField: (error: FieldError) => errorResponse(422, error.errorName, error.message),
};
