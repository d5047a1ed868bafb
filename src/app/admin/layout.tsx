import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { Toaster } from "sonner";
import { TRPCReactProvider } from "@/trpc/react";
import "../globals.css";

// The admin is English-only and lives outside [locale]; src/proxy.ts leaves /admin alone.
export const metadata: Metadata = {
  title: { default: "Admin · Traverse", template: "%s · Traverse admin" },
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { themeColor: "#0b4a72", width: "device-width", initialScale: 1 };

export default async function AdminRootLayout({ children }: { children: React.ReactNode }) {
  // Per request, so Next can stamp its scripts with the CSP nonce from src/proxy.ts (see [locale]/layout.tsx).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-sand-50 font-sans text-slate-900 antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
        <Toaster position="bottom-right" richColors closeButton toastOptions={{ duration: 6000 }} />
      </body>
    </html>
  );
}
