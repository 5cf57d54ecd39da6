import { builder } from "../builder.ts";
import { VOICES, type VoiceInfo } from "../voices.ts";

interface ModelList {
  status: "success" | "error";
  message?: string;
  models: string[];
  default: string;
}

const Model = builder.objectRef<{ name: string; isDefault: boolean }>("Model").implement({
  description: "A model the configured LLM backend offers.",
  fields: (t) => ({ name: t.exposeString("name"), isDefault: t.exposeBoolean("isDefault") }),
});

const ModelList = builder.objectRef<ModelList>("ModelList").implement({
  description: "When the backend cannot be reached, `available` is false and the list is just the configured default.",
  fields: (t) => ({
    models: t.field({ type: [Model], resolve: (l) => l.models.map((name) => ({ name, isDefault: name === l.default })) }),
    default: t.exposeString("default"),
    available: t.boolean({ resolve: (l) => l.status === "success" }),
    message: t.exposeString("message", { nullable: true, description: "Why the list is only the default." }),
  }),
});

const Voice = builder.objectRef<VoiceInfo>("Voice").implement({
  description: "A text-to-speech voice.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "what `generate(input: { voice })` takes" }),
    name: t.exposeString("name"),
    language: t.string({ description: "the voice id's first two letters: the script's language", resolve: (v) => v.id.slice(0, 2) }),
  }),
});

builder.queryFields((t) => ({
  models: t.field({ type: ModelList, resolve: (_r, _a, ctx) => ctx.caller.models.list() }),
  voices: t.field({
    type: [Voice],
    args: { language: t.arg.string({ description: "only voices whose id starts with these two letters" }) },
    resolve: (_r, { language }) => (language ? VOICES.filter((v) => v.id.startsWith(language.toLowerCase())) : VOICES),
  }),
}));
