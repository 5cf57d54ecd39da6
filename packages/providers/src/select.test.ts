import { describe, expect, it } from "vitest";
import { createProviders, providerSettingsSchema } from "./select.ts";

const parse = (env: Record<string, string>) => providerSettingsSchema.parse(env);

describe("providerSettingsSchema", () => {
  it("defaults every choice to auto (subtitles to local) and treats blank values as unset", () => {
    const s = parse({ OPENAI_API_KEY: "", PEXELS_API_KEY: "  ", LLM_PROVIDER: "" });
    expect(s).toMatchObject({ LLM_PROVIDER: "auto", FOOTAGE_PROVIDER: "auto", VOICE_PROVIDER: "auto", SUBTITLE_PROVIDER: "local" });
    expect(s.OPENAI_API_KEY).toBeUndefined();
    expect(s.PEXELS_API_KEY).toBeUndefined();
  });
  it("accepts choices in any case and rejects unknown ones naming the variable", () => {
    expect(parse({ VOICE_PROVIDER: "TikTok" }).VOICE_PROVIDER).toBe("tiktok");
    const r = providerSettingsSchema.safeParse({ LLM_PROVIDER: "gpt" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["LLM_PROVIDER"]);
  });
});

describe("createProviders auto", () => {
  it("with nothing configured: local-first LLM / procedural / espeak, no transcriber or uploader, with notes", () => {
    const p = createProviders(parse({}));
    expect(p.llm.provider).toBe("ollama"); // Ollama on its default address when it answers, else the template writer
    expect(p.llm.defaultModel).toBe("llama3.1:8b");
    expect(p.footage.provider).toBe("procedural");
    expect(p.voice.provider).toBe("espeak");
    expect(p.transcriber).toBeUndefined();
    expect(p.uploader).toBeUndefined();
    expect(p.ffmpegPath).toMatch(/ffmpeg/);
    expect(p.notes).toContain("No LLM configured: using Ollama at http://127.0.0.1:11434 when it answers, else the offline template writer.");
    expect(p.notes.some((n) => n.includes("procedural"))).toBe(true);
    expect(p.notes.some((n) => n.includes("espeak-ng"))).toBe(true);
  });

  it("picks the configured Ollama from OLLAMA_HOST or OLLAMA_MODEL, and the template only when asked", () => {
    expect(createProviders(parse({ LLM_PROVIDER: "template" })).llm.provider).toBe("template");
    const byModel = createProviders(parse({ OLLAMA_MODEL: "mistral" }));
    expect(byModel.llm.provider).toBe("ollama");
    expect(byModel.llm.defaultModel).toBe("mistral");
    expect(createProviders(parse({ OLLAMA_HOST: "localhost:11434" })).llm.provider).toBe("ollama");
    expect(createProviders(parse({ OLLAMA_HOST: "http://h:1", OPENAI_API_KEY: "k" })).llm.provider).toBe("ollama");
  });

  it("picks an OpenAI-compatible endpoint from a key or a base URL", () => {
    expect(createProviders(parse({ OPENAI_API_KEY: "sk" })).llm.provider).toBe("openai");
    const lmStudio = createProviders(parse({ OPENAI_BASE_URL: "http://127.0.0.1:1234/v1", OPENAI_MODEL: "qwen" }));
    expect(lmStudio.llm.provider).toBe("openai");
    expect(lmStudio.llm.defaultModel).toBe("qwen");
  });

  it("prefers Pexels over a local folder over procedural", () => {
    expect(createProviders(parse({ PEXELS_API_KEY: "k", FOOTAGE_DIR: "/x" })).footage.provider).toBe("pexels");
    expect(createProviders(parse({ FOOTAGE_DIR: "/x" })).footage.provider).toBe("local");
  });

  it("prefers TikTok (the contract's voice ids) over ElevenLabs over espeak", () => {
    expect(createProviders(parse({ TIKTOK_SESSION_ID: "s", ELEVENLABS_API_KEY: "e" })).voice.provider).toBe("tiktok");
    expect(createProviders(parse({ ELEVENLABS_API_KEY: "e" })).voice.provider).toBe("elevenlabs");
  });

  it("builds AssemblyAI and YouTube only when configured, and notes a half-configured YouTube", () => {
    const p = createProviders(
      parse({ SUBTITLE_PROVIDER: "assemblyai", ASSEMBLYAI_API_KEY: "a", YOUTUBE_CLIENT_ID: "i", YOUTUBE_CLIENT_SECRET: "s", YOUTUBE_REFRESH_TOKEN: "r" }),
    );
    expect(p.transcriber?.provider).toBe("assemblyai");
    expect(p.uploader?.provider).toBe("youtube");
    const half = createProviders(parse({ YOUTUBE_CLIENT_ID: "i" }));
    expect(half.uploader).toBeUndefined();
    expect(half.notes).toContain("YouTube upload disabled: YOUTUBE_CLIENT_SECRET, YOUTUBE_REFRESH_TOKEN not set.");
  });
});

describe("createProviders explicit", () => {
  it("honours explicit choices without fallback notes", () => {
    const p = createProviders(parse({ LLM_PROVIDER: "template", FOOTAGE_PROVIDER: "procedural", VOICE_PROVIDER: "espeak" }));
    expect([p.llm.provider, p.footage.provider, p.voice.provider]).toEqual(["template", "procedural", "espeak"]);
    expect(p.notes.filter((n) => /procedural|espeak/.test(n))).toEqual([]);
    expect(createProviders(parse({ LLM_PROVIDER: "ollama" })).llm.provider).toBe("ollama");
    expect(createProviders(parse({ FFMPEG_PATH: "/opt/ffmpeg" })).ffmpegPath).toBe("/opt/ffmpeg");
  });

  it("fails with a sentence naming the missing variable", () => {
    expect(() => createProviders(parse({ FOOTAGE_PROVIDER: "pexels" }))).toThrow("PEXELS_API_KEY is required when FOOTAGE_PROVIDER=pexels.");
    expect(() => createProviders(parse({ FOOTAGE_PROVIDER: "local" }))).toThrow(/FOOTAGE_DIR is required/);
    expect(() => createProviders(parse({ VOICE_PROVIDER: "tiktok" }))).toThrow(/TIKTOK_SESSION_ID is required/);
    expect(() => createProviders(parse({ VOICE_PROVIDER: "elevenlabs" }))).toThrow(/ELEVENLABS_API_KEY is required/);
    expect(() => createProviders(parse({ SUBTITLE_PROVIDER: "assemblyai" }))).toThrow(/ASSEMBLYAI_API_KEY is required/);
    expect(() => createProviders(parse({ LLM_PROVIDER: "openai" }))).toThrow(/OPENAI_API_KEY is required/);
  });
});
