export default function NotFound() {
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
