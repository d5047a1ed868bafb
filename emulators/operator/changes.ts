// The change feed: an append-only, ordered log of what the operator changed (schedules, cancellations,
// fares, bookings cancelled by the operator). Cursors are opaque to clients; inside they carry the
// feed's epoch (new on every start and reset) and a position, so a cursor from before a reset is
// refused instead of silently skipping changes.
import { randomBytes } from "node:crypto";
import { OperatorError } from "./errors";
import type { Change, GetChangesResponse, OperatorCode } from "./types";

type Distribute<T> = T extends Change ? Omit<T, "id" | "cursor" | "operator" | "occurredAt"> : never;
export type NewChange = Distribute<Change>;

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 500;

export class ChangeFeed {
  private epoch = newEpoch();
  private readonly log: Change[] = [];
  private readonly listeners: ((change: Change) => void)[] = [];

  constructor(
    private readonly operator: OperatorCode,
    private readonly now: () => number,
  ) {}

  onAppend(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  append(input: NewChange): Change {
    const position = this.log.length + 1;
    const change = {
      id: `${this.operator}-CHG-${this.epoch}-${String(position).padStart(6, "0")}`,
      cursor: encodeCursor(this.epoch, position),
      operator: this.operator,
      occurredAt: new Date(this.now()).toISOString(),
      ...input,
    } as Change;
    this.log.push(change);
    for (const listener of this.listeners) listener(change);
    return change;
  }

  all(): Change[] {
    return [...this.log];
  }

  /** The cursor that reads the feed from its very beginning (what `since` omitted means). */
  start(): string {
    return encodeCursor(this.epoch, 0);
  }

  page(since: string | null, limit: number): GetChangesResponse {
    const position = since === null ? 0 : this.decode(since);
    const changes = this.log.slice(position, position + limit);
    const last = changes.at(-1);
    return {
      changes,
      nextCursor: last ? last.cursor : encodeCursor(this.epoch, position),
      hasMore: position + changes.length < this.log.length,
    };
  }

  reset(): void {
    this.log.length = 0;
    this.epoch = newEpoch();
  }

  private decode(cursor: string): number {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    } catch {
      parsed = null;
    }
    const { e, p } = (parsed ?? {}) as { e?: unknown; p?: unknown };
    if (typeof e !== "string" || typeof p !== "number" || !Number.isInteger(p) || p < 0) {
      throw new OperatorError(400, "INVALID_CURSOR", "`since` is not a cursor this feed gave out.");
    }
    if (e !== this.epoch || p > this.log.length) {
      throw new OperatorError(
        410,
        "CURSOR_EXPIRED",
        "The feed was reset since this cursor was issued; read it again from the start (omit `since`).",
      );
    }
    return p;
  }
}

function newEpoch(): string {
  return randomBytes(3).toString("hex").toUpperCase();
}

function encodeCursor(epoch: string, position: number): string {
  return Buffer.from(JSON.stringify({ e: epoch, p: position })).toString("base64url");
}
