import type { AdminRole } from "@/server/db/schema/admin";

/** The admin navigation, with who may use each page (the procedures behind them enforce the same). */
export const NAV: readonly { href: string; label: string; roles: readonly AdminRole[] }[] = [
  { href: "/admin/schedules", label: "Schedules", roles: ["admin"] },
  { href: "/admin/prices", label: "Prices", roles: ["admin"] },
  { href: "/admin/bookings", label: "Bookings", roles: ["admin"] },
  { href: "/admin/checkin", label: "Check-in", roles: ["admin", "checkin"] },
  { href: "/admin/operators", label: "Operators", roles: ["admin"] },
  { href: "/admin/cache", label: "Cache", roles: ["admin"] },
  { href: "/admin/emails", label: "Emails", roles: ["admin"] },
  { href: "/admin/jobs", label: "Jobs", roles: ["admin"] },
  { href: "/admin/operations", label: "Operations", roles: ["admin"] },
  { href: "/admin/audit", label: "Audit", roles: ["admin"] },
  { href: "/admin/admins", label: "Admins", roles: ["admin"] },
];

export function navFor(role: AdminRole) {
  return NAV.filter((n) => n.roles.includes(role));
}

/** Where a staff member lands after signing in. */
export function homeFor(role: AdminRole): string {
  return role === "admin" ? "/admin/schedules" : "/admin/checkin";
}
