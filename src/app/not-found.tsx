import { connection } from "next/server";

/** Rendered per request like every page, so its scripts carry the CSP nonce (see src/proxy.ts). */
export default async function NotFound() {
  await connection();
  return (
    <html lang="en">
      <body>
        <main style={{ fontFamily: "system-ui", padding: 24 }}>
          <h1>Page not found</h1>
          <p>
            <a href="/">Back to Traverse</a>
          </p>
        </main>
      </body>
    </html>
  );
}
