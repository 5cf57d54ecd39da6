import type { GraphQLSchema } from "graphql";
import { builder } from "../builder.ts";
import "./event.ts";
import "./job.ts";
import "./catalog.ts";
import "./operations.ts";

/** The whole schema; fields keep the order they are written in (REST's fields first on Job). */
export const schema: GraphQLSchema = builder.toSchema({ sortSchema: false });
