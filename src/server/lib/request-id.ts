/**
 * The id of one HTTP request: returned as `x-request-id`, written on every log line of the request
 * (`withLogContext`). One set by our own reverse proxy is kept (so its access log and ours agree) when
 * the app is told it sits behind one (TRUSTED_PROXY_HOPS > 0) and it looks like an id; otherwise a
 * client could put any text it likes into our logs, so a new one is made.
 */
export const REQUEST_ID_HEADER = "x-request-id";
const ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFor(headers: Headers, trustedProxyHops: number): string {
  const given = headers.get(REQUEST_ID_HEADER);
  if (trustedProxyHops > 0 && given && ID.test(given)) return given;
  return crypto.randomUUID();
}

/** The id the proxy (src/proxy.ts) put on the request; a new one for callers that bypass it (tests). */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && ID.test(given) ? given : crypto.randomUUID();
}
