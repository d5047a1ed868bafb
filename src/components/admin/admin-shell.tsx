"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/react";
import { errorMessage, parseError } from "./errors";

const NAV = [
  { href: "/admin/schedules", label: "Schedules" },
  { href: "/admin/prices", label: "Prices" },
  { href: "/admin/bookings", label: "Bookings" },
  { href: "/admin/cache", label: "Cache" },
  { href: "/admin/emails", label: "Emails" },
  { href: "/admin/jobs", label: "Jobs" },
  { href: "/admin/audit", label: "Audit" },
] as const;

/**
 * The admin frame: a skip link, the navigation, who is signed in and Sign out. A session that ends while a page
 * is open (expiry, sign-out elsewhere) sends the admin back to the login page on the next failing request.
 */
export function AdminShell({ email, children }: { email: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  useEffect(() => {
    const onError = (error: unknown) => {
      if (parseError(error).code === "UNAUTHORIZED") {
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

  const logout = useMutation(
    trpc.admin.auth.logout.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.replace("/admin/login?signedOut=1");
        router.refresh();
      },
      onError: (e) => toast.error(`Could not sign out: ${errorMessage(e)}`),
    }),
  );

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
              {NAV.map((n) => {
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
            </span>
            <button
              type="button"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
              className="rounded-md border border-sea-100 px-3 py-1 font-semibold hover:bg-sea-700 focus-visible:outline-white"
            >
              {logout.isPending ? "Signing out…" : "Sign out"}
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
    </div>
  );
}
