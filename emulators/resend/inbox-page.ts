// Server-rendered inbox: no external assets, no scripts. Every interpolated value is escaped, and
// email HTML is shown only inside a sandboxed srcdoc iframe (no allow-scripts, no allow-same-origin),
// because it is untrusted content that could otherwise run in the emulator's origin.
import { escapeHtml } from "../shared/html";
import type { CapturedEmail } from "./state";

const REFRESH_SECONDS = 3;

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; background: #fff; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  table { border-collapse: collapse; width: 100%; }
  caption { text-align: left; padding: 0 0 .5rem; color: #444; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ccc; vertical-align: top; }
  th { background: #f2f2f2; }
  a { color: #0645ad; }
  a:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  .status { font-variant: small-caps; }
  iframe { width: 100%; height: 70vh; border: 1px solid #999; background: #fff; }
  pre { white-space: pre-wrap; border: 1px solid #ccc; padding: .8rem; background: #fafafa; }
`;

function page(title: string, body: string, refresh: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh ? `<meta http-equiv="refresh" content="${REFRESH_SECONDS}">` : ""}
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function formatTime(iso: string): string {
  // Always UTC and labelled as such: the emulator has no idea of a port's time zone.
  return `${iso.slice(0, 19).replace("T", " ")} UTC`;
}

const addresses = (list: string[] | null): string => (list && list.length > 0 ? list.join(", ") : "");

export function renderInboxList(emails: CapturedEmail[]): string {
  const rows = emails
    .map(
      (email) => `<tr>
  <td><time datetime="${escapeHtml(email.createdAt)}">${escapeHtml(formatTime(email.createdAt))}</time></td>
  <td>${escapeHtml(addresses(email.to))}</td>
  <td><a href="/inbox/${encodeURIComponent(email.id)}">${escapeHtml(email.subject)}</a></td>
  <td class="status">${escapeHtml(email.lastEvent)}</td>
</tr>`,
    )
    .join("\n");
  const empty = `<tr><td colspan="4">No emails yet. This page refreshes every ${REFRESH_SECONDS} seconds.</td></tr>`;
  return page(
    "Resend emulator inbox",
    `<h1>Resend emulator inbox</h1>
<table>
<caption>${emails.length} ${emails.length === 1 ? "email" : "emails"}, newest first</caption>
<thead><tr><th scope="col">Time</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows || empty}
</tbody>
</table>`,
    true,
  );
}

function headerRows(email: CapturedEmail): [string, string][] {
  const rows: [string, string][] = [
    ["From", email.from],
    ["To", addresses(email.to)],
    ["Cc", addresses(email.cc)],
    ["Bcc", addresses(email.bcc)],
    ["Reply-To", addresses(email.replyTo)],
    ["Subject", email.subject],
    ["Date", formatTime(email.createdAt)],
    ["Status", email.lastEvent],
    ["Scheduled at", email.scheduledAt ?? ""],
    ["Email id", email.id],
    ["Idempotency-Key", email.idempotencyKey ?? ""],
    ["Sent through", email.batch ? "POST /emails/batch" : "POST /emails"],
    ["Tags", email.tags.map((tag) => `${tag.name}=${tag.value}`).join(", ")],
  ];
  for (const [name, value] of Object.entries(email.headers)) rows.push([name, value]);
  const attachments = email.attachments
    .map((a) => `${a.filename ?? a.path ?? "(unnamed)"}${a.size === null ? "" : ` (${a.size} bytes)`}`)
    .join(", ");
  rows.push(["Attachments", attachments]);
  return rows.filter(([, value]) => value !== "");
}

export function renderInboxDetail(email: CapturedEmail): string {
  const headers = headerRows(email)
    .map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join("\n");
  // allow-popups lets target=_blank links (manage-booking, ticket) open in a new tab; scripts and
  // same-origin access stay off.
  const html =
    email.html === null
      ? "<p>This email has no HTML part.</p>"
      : `<iframe title="HTML body of ${escapeHtml(email.subject)}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" srcdoc="${escapeHtml(email.html)}"></iframe>`;
  const text =
    email.text === null
      ? "<p>This email has no plain-text part.</p>"
      : `<pre>${escapeHtml(email.text)}</pre>`;
  return page(
    `${email.subject} – Resend emulator`,
    `<p><a href="/">← Back to inbox</a></p>
<h1>${escapeHtml(email.subject)}</h1>
<table>
<caption>Headers</caption>
<tbody>
${headers}
</tbody>
</table>
<h2>HTML</h2>
${html}
<h2>Plain text</h2>
${text}`,
    false,
  );
}

export function renderNotFound(): string {
  return page(
    "Email not found – Resend emulator",
    `<h1>Email not found</h1><p><a href="/">Back to inbox</a></p>`,
    false,
  );
}
