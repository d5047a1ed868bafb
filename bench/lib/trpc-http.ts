/** Minimal tRPC-over-HTTP calls (superjson envelope), the way the browser client sends them. */
export async function trpcMutation<T>(
  appUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  data?: T;
  error?: { message: string; data?: { details?: Record<string, unknown> } };
}> {
  const res = await fetch(`${appUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl, ...headers },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: { json: { message: string; data?: { details?: Record<string, unknown> } } };
  };
  return { status: res.status, data: body.result?.data.json, error: body.error?.json };
}

export async function trpcQuery<T>(appUrl: string, path: string, input: unknown): Promise<T> {
  const res = await fetch(
    `${appUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
  );
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: { json: { message: string } };
  };
  if (!body.result) throw new Error(`${path}: ${res.status} ${body.error?.json.message}`);
  return body.result.data.json;
}
