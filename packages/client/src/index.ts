import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { EventSource } from "eventsource";
import type { AppRouter } from "@moneyprinter/api";

export type { AppRouter };
/** Inputs of every procedure, e.g. `RouterInputs["generate"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Outputs of every procedure, e.g. `RouterOutputs["job"]["detail"]["job"]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type MoneyPrinterClient = TRPCClient<AppRouter>;

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8080 (the client talks to `<url>/trpc`). */
  url: string;
  /** Sent as `Authorization: Bearer <token>` on every request, subscriptions included. */
  token?: string;
  /** For tests and unusual runtimes. */
  fetch?: typeof globalThis.fetch;
}

/**
 * The typed client of the core router: queries and mutations go batched over HTTP,
 * subscriptions (`job.onEvents`, `job.onUpdated`) over Server-Sent Events. Node 20 has no
 * EventSource, so the `eventsource` package provides one (it also lets us send the token, which
 * the browser's EventSource cannot).
 */
export function createMoneyPrinterClient(opts: ClientOptions): MoneyPrinterClient {
  const url = `${opts.url.replace(/\/+$/, "")}/trpc`;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const auth: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => doFetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...auth } }),
          },
        }),
        false: httpBatchLink({ url, headers: () => auth, fetch: doFetch }),
      }),
    ],
  });
}
