// Validates a send-email body the way Resend does and normalises it for storage. Messages follow the
// real API's wording ("Missing `to` field.", "The `subject` field must be a `string`.") so a 422 the
// app records as FAILED reads the same in dev as in production.
import { FieldError } from "./errors";

export const MAX_RECIPIENTS = 50;
export const MAX_BATCH_SIZE = 100;

export interface AttachmentInfo {
  filename: string | null;
  /** Decoded size in bytes; null when the attachment is a remote `path`. */
  size: number | null;
  contentType: string | null;
  path: string | null;
}

export interface Tag {
  name: string;
  value: string;
}

export interface EmailInput {
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  cc: string[] | null;
  bcc: string[] | null;
  replyTo: string[] | null;
  headers: Record<string, string>;
  tags: Tag[];
  attachments: AttachmentInfo[];
  scheduledAt: string | null;
}

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const NAMED_ADDRESS = /^(?:.*\S)?\s*<([^<>]+)>$/;
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;

const missing = (field: string) => new FieldError("missing_required_field", `Missing \`${field}\` field.`);
const mustBe = (field: string, type: string) =>
  new FieldError("validation_error", `The \`${field}\` field must be a \`${type}\`.`);
const invalidAddress = (field: string) =>
  new FieldError(
    "validation_error",
    `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
  );

export function isValidAddress(value: string): boolean {
  const trimmed = value.trim();
  const named = NAMED_ADDRESS.exec(trimmed);
  return ADDRESS.test(named ? (named[1] ?? "").trim() : trimmed);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON `null` is treated like an omitted field, as the SDK omits undefined ones. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function optionalString(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (!present(value)) return null;
  if (typeof value !== "string") throw mustBe(field, "string");
  return value;
}

function addressList(body: Record<string, unknown>, field: string, required: boolean): string[] | null {
  const value = body[field];
  if (!present(value) || (Array.isArray(value) && value.length === 0) || value === "") {
    if (required) throw missing(field);
    return null;
  }
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) throw mustBe(field, "string | string[]");
  if (list.length > MAX_RECIPIENTS) {
    throw new FieldError(
      "validation_error",
      `Too many recipients in the \`${field}\` field. The maximum is ${MAX_RECIPIENTS}.`,
    );
  }
  for (const item of list) {
    if (typeof item !== "string" || !isValidAddress(item)) throw invalidAddress(field);
  }
  return list as string[];
}

function headersField(body: Record<string, unknown>): Record<string, string> {
  const value = body.headers;
  if (!present(value)) return {};
  if (!isRecord(value)) throw mustBe("headers", "object");
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (typeof headerValue !== "string") {
      throw new FieldError("validation_error", `The \`headers.${name}\` value must be a \`string\`.`);
    }
    headers[name] = headerValue;
  }
  return headers;
}

function tagsField(body: Record<string, unknown>): Tag[] {
  const value = body.tags;
  if (!present(value)) return [];
  if (!Array.isArray(value)) throw mustBe("tags", "array");
  return value.map((tag) => {
    if (!isRecord(tag) || typeof tag.name !== "string" || typeof tag.value !== "string") {
      throw new FieldError(
        "validation_error",
        "Each item of the `tags` field must have a `name` and a `value`.",
      );
    }
    if (!TAG_PART.test(tag.name) || !TAG_PART.test(tag.value)) {
      throw new FieldError(
        "validation_error",
        "Invalid `tags` field. Tag names and values can only contain ASCII letters (a–z, A–Z), numbers (0–9), underscores (_), or dashes (-), and at most 256 characters.",
      );
    }
    return { name: tag.name, value: tag.value };
  });
}

function attachmentsField(body: Record<string, unknown>): AttachmentInfo[] {
  const value = body.attachments;
  if (!present(value)) return [];
  if (!Array.isArray(value)) throw mustBe("attachments", "array");
  return value.map((attachment) => {
    if (!isRecord(attachment)) throw mustBe("attachments", "array of objects");
    const content = attachment.content;
    const path = attachment.path;
    const hasContent = typeof content === "string" && content.length > 0;
    const hasPath = typeof path === "string" && path.length > 0;
    if (!hasContent && !hasPath) {
      throw new FieldError("invalid_attachment", "Attachment must have either a `content` or `path`.");
    }
    const filename = typeof attachment.filename === "string" ? attachment.filename : null;
    const contentType = typeof attachment.content_type === "string" ? attachment.content_type : null;
    // Only the size is kept: the inbox never needs the bytes, and memory stays flat in long dev sessions.
    return {
      filename,
      size: hasContent ? Buffer.from(content, "base64").length : null,
      contentType,
      path: hasPath ? path : null,
    };
  });
}

/** Throws FieldError with Resend's name and message for the first problem found. */
export function validateEmail(raw: unknown, options: { batch: boolean }): EmailInput {
  if (!isRecord(raw)) throw new FieldError("validation_error", "The request body must be a JSON object.");
  if (present(raw.template)) {
    // Hosted templates live in the Resend dashboard; the emulator has none, so say so plainly.
    throw new FieldError(
      "validation_error",
      "The `template` field is not supported by the Resend emulator; send `html` and/or `text`.",
    );
  }
  if (options.batch && present(raw.attachments)) {
    throw new FieldError("validation_error", "The `attachments` field is not supported in batch emails.");
  }
  if (options.batch && present(raw.scheduled_at)) {
    throw new FieldError("validation_error", "The `scheduled_at` field is not supported in batch emails.");
  }

  if (!present(raw.from) || raw.from === "") throw missing("from");
  if (typeof raw.from !== "string") throw mustBe("from", "string");
  if (!isValidAddress(raw.from)) throw invalidAddress("from");
  const to = addressList(raw, "to", true) as string[];
  if (!present(raw.subject) || raw.subject === "") throw missing("subject");
  if (typeof raw.subject !== "string") throw mustBe("subject", "string");
  const html = optionalString(raw, "html");
  const text = optionalString(raw, "text");
  if (html === null && text === null) {
    throw new FieldError("missing_required_field", "Missing `html` or `text` field.");
  }

  return {
    from: raw.from,
    to,
    subject: raw.subject,
    html,
    text,
    cc: addressList(raw, "cc", false),
    bcc: addressList(raw, "bcc", false),
    replyTo: addressList(raw, "reply_to", false),
    headers: headersField(raw),
    tags: tagsField(raw),
    attachments: attachmentsField(raw),
    scheduledAt: optionalString(raw, "scheduled_at"),
  };
}
