import { type CacheKind, GLOBAL_VERSION_KEY, physicalKey, versionKey } from "./keys";
import type { RedisGuard } from "./redis-guard";

/**
 * The versions every key embeds: the global one (bumped by "clear all", restarted at an epoch when Redis
 * comes back empty) and the named ones (a route pair). Reading them, and deleting entries under the
 * current global version, for `Cache`.
 */
export class Versions {
  /** The global version this process last read; `undefined` until it has read one. */
  private lastGlobal: number | undefined;

  constructor(
    private readonly guard: RedisGuard,
    private readonly now: () => number,
    /** A new epoch was started: copies cached by this process under older versions must go. */
    private readonly onNewEpoch: () => void,
  ) {}

  /** The versions plus a speculative read of other keys, in a single MGET. */
  async read<T>(
    names: string[],
    extraKeys: string[],
  ): Promise<{ global: number; routes: number[]; extra: (T | null)[] } | undefined> {
    const res = await this.guard.run((r) =>
      r.mget<unknown[]>(GLOBAL_VERSION_KEY, ...names.map(versionKey), ...extraKeys),
    );
    const global = res && ((res[0] ?? null) === null ? await this.newEpoch() : Number(res[0]));
    if (res === undefined || global === undefined) return undefined;
    this.lastGlobal = global;
    return {
      global,
      routes: names.map((_, i) => Number(res[i + 1] ?? 0)),
      extra: res.slice(1 + names.length) as (T | null)[],
    };
  }

  /**
   * `v:global` is missing: Redis is new or came back empty, and reset counters could name copies cached
   * before (by a process that never saw the restart) older than the changes that had bumped them. Keys all
   * embed the global version: it restarts at a never-used value (the clock, ms); SET NX makes racers agree.
   */
  private async newEpoch(): Promise<number | undefined> {
    const epoch = this.now();
    this.onNewEpoch();
    return this.guard.run(async (r) => {
      if ((await r.set(GLOBAL_VERSION_KEY, epoch, { nx: true })) === "OK") return epoch;
      return Number((await r.get(GLOBAL_VERSION_KEY)) ?? epoch);
    });
  }

  /**
   * Deletes entries of an unversioned kind (availability) under the current global version. Every hold
   * does this, so it is one request: the global version is read and the keys under the one this process
   * last saw deleted, together (a pipeline). The global version changes only on "clear all" or a new
   * epoch; when it has, the keys under the version just read are deleted in a second request.
   */
  async deleteEntries(kind: CacheKind, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const under = (global: number) => keys.map((k) => physicalKey(kind, global, [], k));
    await this.guard.run(async (r) => {
      const guess = this.lastGlobal;
      let global: number;
      if (guess === undefined) global = Number((await r.get<number>(GLOBAL_VERSION_KEY)) ?? 0);
      else {
        const [read] = await r
          .pipeline()
          .get<number>(GLOBAL_VERSION_KEY)
          .del(...under(guess))
          .exec();
        global = Number(read ?? 0);
        if (global === guess) return;
      }
      this.lastGlobal = global;
      await r.del(...under(global));
    });
  }
}
