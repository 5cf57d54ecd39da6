import { afterAll } from "vitest";
import { removeContexts } from "./helpers.ts";

// rendered videos are megabytes each: leave nothing in the temp dir
afterAll(removeContexts);
