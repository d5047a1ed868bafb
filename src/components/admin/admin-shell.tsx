"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import type { AdminRole } from "@/server/db/schema/admin";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { errorMessage, readAppError } from "@/trpc/errors";
import { navFor } from "./nav";

/**
 * The admin frame: a skip link, the navigation (only what the role may use), who is signed in, Sign out
 * and Sign out everywhere. A session that ends while a page is open (expiry, idle timeout, sign-out
 * elsewhere) sends the admin back to the login page on the next failing request.
 */
export function AdminShell({
  email,
  role,
  children,
}: {
  email: string;
  role: AdminRole;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  useEffect(() => {
    const onError = (error: unknown) => {
      if (readAppError(error).code === "UNAUTHORIZED") {
        queryClient.clear();
        router.replace("/admin/login?expired=1");
      }
    };
    const q = queryClient.getQueryCache().subscribe((e) => {
      if (e.type === "updated" && e.action.type === "error") onError(e.action.error);
    });
    const m = queryClient.getMutationCache().subscribe((e) => {
      if (e.type === "updated" && e.action.type === "error") onError(e.action.error);
    });
    return () => {
      q();
      m();
    };
  }, [queryClient, router]);

  const signedOut = () => {
    queryClient.clear();
    router.replace("/admin/login?signedOut=1");
    router.refresh();
  };
  const logout = useMutation(
    trpc.admin.auth.logout.mutationOptions({
      onSuccess: signedOut,
      onError: (e) => toast.error(`Could not sign out: ${errorMessage(e)}`),
    }),
  );
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);
  const everywhere = useMutation(trpc.admin.auth.logoutEverywhere.mutationOptions({ onSuccess: signedOut }));

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:p-2 focus:text-sea-900"
      >
        Skip to content
      </a>
      <header className="bg-sea-900 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/admin/schedules" className="text-lg font-bold tracking-tight">
            Traverse <span className="font-normal text-sea-100">admin</span>
          </Link>
          <nav aria-label="Admin" className="flex-1">
            <ul className="flex flex-wrap gap-1">
              {navFor(role).map((n) => {
                const current = pathname === n.href || pathname.startsWith(`${n.href}/`);
                return (
                  <li key={n.href}>
                    <Link
                      href={n.href}
                      aria-current={current ? "page" : undefined}
                      className={`block rounded-md px-3 py-1.5 text-sm font-semibold ${current ? "bg-white text-sea-900" : "text-sea-50 hover:bg-sea-700"}`}
                    >
                      {n.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <span>
              <span className="sr-only">Signed in as </span>
              {email}
              {role === "checkin" ? <span className="text-sea-100"> (check-in)</span> : null}
            </span>
            <button
              type="button"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
              className="rounded-md border border-sea-100 px-3 py-1 font-semibold hover:bg-sea-700 focus-visible:outline-white"
            >
              {logout.isPending ? "Signing out…" : "Sign out"}
            </button>
            <button
              type="button"
              onClick={() => setConfirmEverywhere(true)}
              className="rounded-md px-2 py-1 text-sea-50 underline underline-offset-2 hover:bg-sea-700 focus-visible:outline-white"
            >
              Sign out everywhere
            </button>
          </div>
        </div>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto grid w-full max-w-7xl flex-1 content-start gap-5 px-4 py-6"
      >
        {children}
      </main>
      <ConfirmDialog
        open={confirmEverywhere}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        cancelLabel="Stay signed in"
        onConfirm={() => everywhere.mutate()}
        onClose={() => setConfirmEverywhere(false)}
        pending={everywhere.isPending}
        pendingLabel="Signing out…"
        error={everywhere.isError ? errorMessage(everywhere.error) : null}
      >
        <p>Every session of {email} ends, on every device and browser, this one included.</p>
      </ConfirmDialog>
    </div>
  );
}
