import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { createCaller, type ApiContext } from "@moneyprinter/api";
import type { GraphqlContext } from "./builder.ts";
import { maskError } from "./errors.ts";
import { schema } from "./schema/index.ts";

export interface GraphqlOptions {
  /** The same context the other faces get (db, models, live hub). */
  createContext: () => ApiContext;
  /** GraphiQL on GET from a browser (default true). */
  graphiql?: boolean;
  endpoint?: string;
}

export function graphqlContext(api: ApiContext): GraphqlContext {
  return { api, caller: createCaller(api), details: new WeakMap() };
}

/*
 * yoga's own GraphiQL page loads its script, styles and editor workers from unpkg.com, which an
 * offline machine (or a locked-down network) cannot reach. @graphql-yoga/render-graphiql inlines
 * all of it (~9 MB of HTML), so the explorer works with no network. Rendered once per options.
 */
const pages = new Map<string, string>();
function offlineGraphiQL(opts?: object): string {
  const key = JSON.stringify(opts ?? {});
  let page = pages.get(key);
  if (!page) pages.set(key, (page = renderGraphiQL(opts as Parameters<typeof renderGraphiQL>[0])));
  return page;
}

export type GraphqlYoga = YogaServerInstance<Record<string, unknown>, GraphqlContext>;

export function createGraphqlYoga(opts: GraphqlOptions): GraphqlYoga {
  return createYoga<Record<string, unknown>, GraphqlContext>({
    schema,
    graphqlEndpoint: opts.endpoint ?? "/graphql",
    // the host's CORS plugin answers preflights and sets the headers for every route
    cors: false,
    logging: false,
    landingPage: false,
    maskedErrors: { maskError: (error) => maskError(error) },
    graphiql: opts.graphiql === false ? false : { title: "MoneyPrinter GraphQL", defaultQuery: DEFAULT_QUERY },
    renderGraphiQL: offlineGraphiQL,
    context: () => graphqlContext(opts.createContext()),
  });
}

const DEFAULT_QUERY = `# Queue a video, then follow it live:
#   mutation { generate(input: { videoSubject: "Why cats purr" }) { jobId } }
#   subscription { jobEvents(jobId: "<id>") { id type message payload } }
query RecentJobs {
  jobs(first: 5) {
    nodes { id state progress { step fraction } createdAt }
  }
}
`;
