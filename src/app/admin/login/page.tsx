import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/admin/login-form";
import { homeFor } from "@/components/admin/nav";
import { appServices } from "@/server/app-services";
import { getAdminSession } from "@/server/features/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function AdminLoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // headers() first: it marks the page dynamic before anything touches the database.
  const h = await headers();
  const session = await getAdminSession(appServices(), h);
  if (session) redirect(homeFor(session.role));
  const sp = await searchParams;
  const notice = sp.signedOut
    ? "You are signed out."
    : sp.expired
      ? "Your session ended (after 30 minutes without activity, a sign-out elsewhere or its 8-hour limit). Sign in again."
      : null;
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4">
      <div className="grid w-full max-w-sm gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div>
          <p className="text-sm font-semibold text-sea-700">Traverse</p>
          <h1 className="text-2xl font-bold text-sea-900">Admin sign-in</h1>
        </div>
        <LoginForm notice={notice} />
      </div>
    </main>
  );
}
