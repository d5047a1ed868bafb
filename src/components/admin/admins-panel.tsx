"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { errorMessage } from "@/trpc/errors";
import { when } from "./format";
import type { AdminOutputs } from "./types";
import { Alert, btnSecondary, Loading, PageTitle, Section } from "./ui";
import { TableHead } from "./table-head";

type Item = AdminOutputs["users"]["list"][number];

const ROLE_LABELS: Record<Item["role"], string> = { admin: "Admin", checkin: "Check-in staff" };

/** What the sign-in throttle says about one account, in a sentence. */
function throttleText(t: Item["throttle"]): string {
  if (!t) return "No failed sign-ins";
  const failing = `${t.failures} failed sign-in${t.failures === 1 ? "" : "s"} from ${t.failingClients} address${t.failingClients === 1 ? "" : "es"}`;
  if (!t.blockedUntil) return failing;
  return `${failing}; ${t.blockedClients} waiting until ${when(t.blockedUntil)}`;
}

/**
 * Admins and check-in staff: role, last sign-in, live sessions and sign-in delays, with Unlock (ends every
 * delay on the account) and Sign out everywhere (ends every session). Both are audited.
 */
export function AdminsPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery({ ...trpc.admin.users.list.queryOptions(), refetchInterval: 15_000 });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const unlock = useMutation(
    trpc.admin.users.unlock.mutationOptions({
      onSuccess: (r) => {
        toast.success(
          `${r.email} unlocked (${r.clientsCleared} address${r.clientsCleared === 1 ? "" : "es"} cleared).`,
        );
        void refresh();
      },
      onError: (e) => toast.error(`Could not unlock: ${errorMessage(e)}`),
    }),
  );
  const [signingOut, setSigningOut] = useState<Item | null>(null);
  const everywhere = useMutation(
    trpc.admin.users.logoutEverywhere.mutationOptions({
      onSuccess: (r) => {
        toast.success(
          `${signingOut?.email}: ${r.sessionsEnded} session${r.sessionsEnded === 1 ? "" : "s"} ended.`,
        );
        setSigningOut(null);
        void refresh();
      },
    }),
  );

  return (
    <>
      <PageTitle sub="Who can sign in to this area, with what role; unlock an account a stranger has been guessing at, or end someone's sessions.">
        Admins
      </PageTitle>
      <Section title="Accounts">
        {list.isError ? <Alert>{errorMessage(list.error)}</Alert> : null}
        {list.isPending ? (
          <Loading />
        ) : list.data ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Admin accounts</caption>
              <TableHead
                className="border-b border-slate-300 text-slate-700"
                cells={[
                  ["Account", "py-2 pe-3"],
                  ["Role", "py-2 pe-3"],
                  ["Last sign-in", "py-2 pe-3"],
                  ["Sessions", "py-2 pe-3"],
                  ["Sign-in delays", "py-2 pe-3"],
                  [
                    <span key="actions" className="sr-only">
                      Actions
                    </span>,
                    "py-2",
                  ],
                ]}
              />
              <tbody>
                {list.data.map((a) => (
                  <tr key={a.id} className="border-b border-slate-100 align-top">
                    <th scope="row" className="py-2 pe-3 font-semibold">
                      {a.email}
                      {a.name ? <span className="block font-normal text-slate-600">{a.name}</span> : null}
                    </th>
                    <td className="py-2 pe-3">{ROLE_LABELS[a.role]}</td>
                    <td className="py-2 pe-3">{a.lastLoginAt ? when(a.lastLoginAt) : "Never"}</td>
                    <td className="py-2 pe-3">{a.activeSessions}</td>
                    <td className="py-2 pe-3">{throttleText(a.throttle)}</td>
                    <td className="py-2">
                      <div className="flex flex-wrap gap-2">
                        <button
                          type="button"
                          className={btnSecondary}
                          disabled={!a.throttle || unlock.isPending}
                          onClick={() => unlock.mutate({ userId: a.id })}
                          aria-label={`Unlock ${a.email}`}
                        >
                          Unlock
                        </button>
                        <button
                          type="button"
                          className={btnSecondary}
                          disabled={a.activeSessions === 0}
                          onClick={() => {
                            everywhere.reset();
                            setSigningOut(a);
                          }}
                          aria-label={`Sign out ${a.email} everywhere`}
                        >
                          Sign out everywhere
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Section>
      <ConfirmDialog
        open={signingOut !== null}
        title={`Sign ${signingOut?.email ?? ""} out everywhere?`}
        confirmLabel="Sign out everywhere"
        cancelLabel="Keep their sessions"
        onConfirm={() => signingOut && everywhere.mutate({ userId: signingOut.id })}
        onClose={() => setSigningOut(null)}
        pending={everywhere.isPending}
        pendingLabel="Signing out…"
        error={everywhere.isError ? errorMessage(everywhere.error) : null}
      >
        <p>
          Every session of this account ends on its next request, on every device. They can sign in again.
        </p>
      </ConfirmDialog>
    </>
  );
}
