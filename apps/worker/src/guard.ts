import type { Logger } from "./worker.ts";

const CONNECTION_GONE = /^(08...|57P0[123])$|^CONNECTION_(CLOSED|ENDED|DESTROYED)$/;

/**
 * postgres.js 3.4.9's `begin` leaves `connection.onclose = reject` on the pooled connection after
 * the transaction ends (index.js: the Promise.race in begin; onclose is cleared only when fired).
 * When that connection is later dropped — a Postgres restart, pg_terminate_backend — the orphaned
 * promise rejects with nobody listening, and Node ends the process. Every process has run at least
 * one transaction (the migrations at start), so without this a database blip kills it.
 *
 * Those rejections, and only those (a dropped connection's error), are logged and ignored: the
 * query they belonged to finished long ago. Anything else keeps Node's behaviour: log and exit 1.
 */
export function survivePostgresJsOrphanedRejections(log: Pick<Logger, "warn" | "error">): void {
  process.on("unhandledRejection", (reason) => {
    const code = (reason as { code?: unknown } | null)?.code;
    if (typeof code === "string" && CONNECTION_GONE.test(code)) {
      log.warn({ code }, "database connection dropped (orphaned postgres.js rejection ignored; the pool reconnects)");
      return;
    }
    log.error({ err: reason }, "unhandled rejection");
    process.exit(1);
  });
}
