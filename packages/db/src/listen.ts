import postgres from "postgres";

type Unlisten = () => Promise<void>;

interface Listener {
  onPayload(payload: string): void;
  onReconnect?: () => void;
}

interface Channel {
  listeners: Set<Listener>;
  /** the first LISTEN of this channel */
  ready: Promise<void>;
}

const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`;

/**
 * LISTEN on one dedicated connection, re-subscribed here instead of by postgres.js's `sql.listen`.
 *
 * Why: in postgres.js 3.4.9 a connection that dies with a query in flight keeps the dead server's
 * error (`errorResponse` is not cleared on close) and rejects the first query after it reconnects
 * with it. `sql.listen` re-subscribes after a drop by re-sending LISTEN for each channel and
 * swallows a rejection — so when the LISTEN connection dies mid-LISTEN (a restart or
 * pg_terminate_backend during a previous re-subscription, or during start-up), one channel stays
 * unsubscribed on a perfectly healthy connection, silently, until the next drop: workers then
 * find new jobs only by polling.
 *
 * Here, after every close and every failed LISTEN, all channels are LISTENed again in one
 * statement, retried until it succeeds; then each listener's `onReconnect` runs so it can catch up
 * on what it missed while no LISTEN was in place.
 */
export function createListener(
  url: string,
  options: { application_name: string; backoff: (failures: number) => number },
): { listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten>; close(): Promise<void> } {
  const channels = new Map<string, Channel>();
  let ending = false;
  /** the connection closed (or a LISTEN failed) since every channel was last LISTENed */
  let dirty = false;
  let resubscribing: Promise<void> | undefined;

  const sql = postgres(url, {
    max: 1,
    // a LISTEN connection is idle by nature: never close it for age (idle_timeout is off by default)
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    backoff: options.backoff,
    connection: { application_name: options.application_name },
    // not in the Options type, but the option postgres.js's own listen uses
    ...({
      onnotify(channel: string, payload: string) {
        for (const l of channels.get(channel)?.listeners ?? []) l.onPayload(payload);
      },
    } as object),
    onclose() {
      if (ending || channels.size === 0) return;
      dirty = true;
      resubscribe();
    },
  });

  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  function resubscribe() {
    if (resubscribing || ending) return;
    resubscribing = (async () => {
      for (let failures = 0; dirty && !ending; ) {
        dirty = false;
        const names = [...channels.keys()];
        if (names.length === 0) break;
        try {
          await sql.unsafe(names.map((c) => `listen ${quote(c)}`).join("; "));
        } catch {
          dirty = true;
          await pause(options.backoff(failures++) * 1000);
          continue;
        }
        failures = 0;
        for (const name of names) {
          for (const l of channels.get(name)?.listeners ?? []) {
            try {
              l.onReconnect?.();
            } catch {
              /* a listener's own catch-up failing is not the subscription's business */
            }
          }
        }
      }
    })().finally(() => {
      resubscribing = undefined;
      // closed again between the last check and here
      if (dirty && !ending) resubscribe();
    });
  }

  return {
    async listen(channel, onPayload, onReconnect) {
      const listener: Listener = { onPayload, onReconnect };
      let entry = channels.get(channel);
      if (!entry) {
        const created: Channel = { listeners: new Set(), ready: sql.unsafe(`listen ${quote(channel)}`).then(() => {}) };
        channels.set(channel, (entry = created));
        created.ready.catch(() => {
          if (channels.get(channel) === created) channels.delete(channel);
        });
      }
      // in the set before the LISTEN is confirmed, so a re-subscription meanwhile calls onReconnect
      const subscribed = entry;
      subscribed.listeners.add(listener);
      try {
        await subscribed.ready;
      } catch (err) {
        subscribed.listeners.delete(listener);
        throw err;
      }
      return async () => {
        subscribed.listeners.delete(listener);
        if (subscribed.listeners.size > 0 || channels.get(channel) !== subscribed) return;
        channels.delete(channel);
        await sql.unsafe(`unlisten ${quote(channel)}`).catch(() => {});
      };
    },
    async close() {
      ending = true;
      await sql.end({ timeout: 1 });
    },
  };
}
