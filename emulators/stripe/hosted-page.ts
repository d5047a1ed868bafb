// The page behind a session's `url`: Stripe Checkout's card form, reduced to what tests and
// people need. Plain HTML with real <label>s so Playwright's getByLabel and screen readers work.
import type { CardField, CardForm } from "./cards";
import { formatMoney } from "./objects";
import type { SessionRecord } from "./store";
import { escapeHtml } from "../shared/html";

export interface PageState {
  values?: Partial<CardForm>;
  error?: { field: CardField | null; message: string };
}

const esc = escapeHtml;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f8fa;color:#1a1f36}
main{max-width:28rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
.badge{display:inline-block;background:#ffde92;color:#a04100;font-size:.75rem;font-weight:600;padding:.1rem .4rem;border-radius:4px}
table{width:100%;border-collapse:collapse;margin:1rem 0}td{padding:.3rem 0}td:last-child{text-align:right}
.total td{border-top:1px solid #ddd;font-weight:600}
label{display:block;margin-top:.9rem;font-weight:500}
input{display:block;width:100%;box-sizing:border-box;padding:.55rem;margin-top:.25rem;border:1px solid #c5ccd6;border-radius:4px;font-size:1rem}
input[aria-invalid=true]{border-color:#df1b41}
.row{display:flex;gap:1rem}.row>div{flex:1}
.error{color:#df1b41;margin:.3rem 0 0}
.alert{background:#fde8ec;color:#8a0d27;padding:.6rem;border-radius:4px;margin-top:1rem}
button{margin-top:1.4rem;width:100%;padding:.75rem;font-size:1rem;font-weight:600;color:#fff;background:#635bff;border:0;border-radius:4px;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #0570de;outline-offset:2px}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export function renderNotFound(): string {
  return layout(
    "Page not found",
    `<h1>Something went wrong</h1><p>This checkout page could not be found.</p>`,
  );
}

function backLink(record: SessionRecord): string {
  return record.session.cancel_url ? `<p><a href="${esc(record.session.cancel_url)}">Back</a></p>` : "";
}

function field(name: CardField, label: string, attrs: string, state: PageState): string {
  const value = state.values?.[name] ?? "";
  const invalid = state.error?.field === name;
  const errorId = `${name}-error`;
  return `<label for="${name}">${label}</label>
<input id="${name}" name="${name}" value="${esc(value)}" ${attrs}${invalid ? ` aria-invalid="true" aria-describedby="${errorId}"` : ""}>
${invalid ? `<p class="error" id="${errorId}" role="alert">${esc(state.error?.message ?? "")}</p>` : ""}`;
}

export function renderPayPage(record: SessionRecord, businessName: string, state: PageState = {}): string {
  const { session, lineItems } = record;
  if (session.status === "complete") {
    const link = session.success_url
      ? `<p><a href="${esc(session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id))}">Return to ${esc(businessName)}</a></p>`
      : "";
    return layout(
      `${businessName} — paid`,
      `<h1>Payment complete</h1><p role="status">This payment has already been completed. Thank you!</p>${link}`,
    );
  }
  if (session.status === "expired") {
    return layout(
      `${businessName} — session expired`,
      `<h1>This checkout session has expired</h1><p role="status">The time to complete this payment has run out. Nothing was charged.</p>${backLink(record)}`,
    );
  }
  const rows = lineItems
    .map(
      (item) =>
        `<tr><td>${esc(item.description)}${item.quantity > 1 ? ` × ${item.quantity}` : ""}</td><td>${esc(formatMoney(item.amount_total, item.currency))}</td></tr>`,
    )
    .join("");
  const total = formatMoney(session.amount_total, session.currency);
  const general =
    state.error && state.error.field === null
      ? `<p class="alert" role="alert">${esc(state.error.message)}</p>`
      : "";
  const values: PageState = { ...state, values: { email: session.customer_email ?? "", ...state.values } };
  return layout(
    `Pay ${businessName}`,
    `<p><span class="badge">TEST MODE</span></p>
<h1>Pay ${esc(businessName)}</h1>
<p>${esc(total)}</p>
<table aria-label="Order summary"><tbody>${rows}<tr class="total"><td>Total due</td><td>${esc(total)}</td></tr></tbody></table>
<form method="post" action="/pay/${esc(session.id)}" novalidate>
${field("email", "Email", 'type="email" autocomplete="email" required', values)}
${field("number", "Card number", 'inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required', values)}
<div class="row"><div>${field("expiry", "Expiry", 'inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY" required', values)}</div>
<div>${field("cvc", "CVC", 'inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" required', values)}</div></div>
${general}
<button type="submit">Pay</button>
</form>
${backLink(record)}`,
  );
}
