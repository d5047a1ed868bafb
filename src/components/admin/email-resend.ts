import { toast } from "sonner";
import { errorMessage } from "@/trpc/errors";

/** "booking confirmed" for the outbox kind `booking_confirmed`. */
export const emailKindName = (kind: string) => kind.replaceAll("_", " ");

/**
 * What an admin is told after asking to resend an email (from the outbox or from a booking), and the list
 * to refresh once it is queued again.
 */
export function resendOutcome(e: { kind: string; recipient: string }, refresh: () => void) {
  return {
    onSuccess: () => {
      toast.success(`The ${emailKindName(e.kind)} email is queued again for ${e.recipient}.`);
      refresh();
    },
    onError: (err: unknown) => toast.error(`Email not resent: ${errorMessage(err)}`),
  };
}
