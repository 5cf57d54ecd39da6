export { schema } from "./schema/index.ts";
export { createGraphqlYoga, graphqlContext, type GraphqlOptions, type GraphqlYoga } from "./yoga.ts";
export { graphqlFacade } from "./fastify.ts";
export { maskError } from "./errors.ts";
export { VOICES, type VoiceInfo } from "./voices.ts";
export type { GraphqlContext } from "./builder.ts";
