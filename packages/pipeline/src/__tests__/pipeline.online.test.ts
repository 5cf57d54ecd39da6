import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProviders, providerSettingsSchema } from "@moneyprinter/providers";
import { probe, runFfmpeg } from "../ffmpeg.ts";
import { createPipelineRunner } from "../pipeline.ts";
import { FFMPEG, makeContext } from "./helpers.ts";

// One local HTTP server playing Ollama (/api/chat), Pexels (/videos/search + a CDN path) and
// TikTok TTS (/media/api/text/speech/invoke/), each in its real wire format, counting requests.
interface Hit {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base = "";
const hits: Hit[] = [];
let clipBytes: Buffer;
let speechBytes: Buffer;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function chatReply(prompt: string): string {
  if (/search terms/i.test(prompt)) return 'Here are the terms:\n["city lights", "night traffic", "skyline"]';
  if (/Video Title/i.test(prompt)) return "City Nights #shorts";
  if (/Video Description/i.test(prompt)) return "How a city glows after dark.";
  if (/keywords/i.test(prompt)) return '["city", "night"]';
  return "Cities never really sleep. Lights stay on, and traffic keeps moving long after midnight.";
}

beforeAll(async () => {
  const dir = (await makeContext("online-fixtures")).workDir;
  // a landscape stock clip (the crop path) and a short spoken-length MP3
  await runFfmpeg(FFMPEG, ["-f", "lavfi", "-i", "color=c=0x202830:s=1280x720:r=25:d=8", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", join(dir, "clip.mp4")]);
  await runFfmpeg(FFMPEG, ["-f", "lavfi", "-i", "sine=frequency=300:duration=1.2", "-c:a", "libmp3lame", join(dir, "speech.mp3")]);
  clipBytes = await readFile(join(dir, "clip.mp4"));
  speechBytes = await readFile(join(dir, "speech.mp3"));

  server = createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    hits.push({ method: req.method ?? "GET", url, headers: req.headers, body });
    if (req.method === "POST" && url.pathname === "/api/chat") {
      const { model, messages } = JSON.parse(body) as { model: string; messages: { role: string; content: string }[] };
      const prompt = messages.at(-1)?.content ?? "";
      return json(res, 200, { model, created_at: new Date().toISOString(), message: { role: "assistant", content: chatReply(prompt) }, done: true });
    }
    if (url.pathname === "/videos/search") {
      if (req.headers.authorization !== "pexels-key") return json(res, 401, { error: "Unauthorized" });
      const q = url.searchParams.get("query") ?? "";
      const id = Math.abs([...q].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 7));
      return json(res, 200, {
        page: 1,
        per_page: 15,
        total_results: 1,
        videos: [
          {
            id,
            width: 1280,
            height: 720,
            duration: 8,
            url: `https://www.pexels.com/video/${id}/`,
            video_files: [{ id: id * 10, quality: "hd", file_type: "video/mp4", width: 1280, height: 720, link: `${base}/cdn/${id}.mp4` }],
          },
        ],
      });
    }
    if (url.pathname.startsWith("/cdn/")) {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": String(clipBytes.length) });
      return res.end(clipBytes);
    }
    if (req.method === "POST" && url.pathname === "/media/api/text/speech/invoke/") {
      if (!/sessionid=tt-session/.test(req.headers.cookie ?? "")) return json(res, 200, { status_code: 1, status_msg: "Couldn't load speech. Try again." });
      return json(res, 200, { status_code: 0, status_msg: "", data: { s_key: "x", v_str: speechBytes.toString("base64"), duration: "1200", speaker: url.searchParams.get("text_speaker") } });
    }
    json(res, 404, { error: "not found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe("pipeline against fake Ollama + Pexels + TikTok servers", { timeout: 120_000 }, () => {
  it("runs the online path end to end", async () => {
    const settings = providerSettingsSchema.parse({
      OLLAMA_HOST: base,
      OLLAMA_MODEL: "llama3.1:8b",
      PEXELS_API_KEY: "pexels-key",
      TIKTOK_SESSION_ID: "tt-session",
      FFMPEG_PATH: FFMPEG,
    });
    const providers = createProviders(settings, { baseUrls: { pexels: base, tiktok: `${base}/media/api/text/speech/invoke/` } });
    expect([providers.llm.provider, providers.footage.provider, providers.voice.provider]).toEqual(["ollama", "pexels", "tiktok"]);

    const ctx = await makeContext("online", { voice: "en_us_006" });
    const { resultPath } = await createPipelineRunner({ providers, ffmpegPath: providers.ffmpegPath })(ctx);

    const info = await probe(FFMPEG, resultPath);
    expect(info.video).toMatchObject({ codec: "h264", width: 1080, height: 1920 });
    expect(info.audio?.codec).toBe("aac");
    const voice = ctx.artifacts.find((a) => a.kind === "voice")!;
    expect(Math.abs(info.durationSeconds! - voice.durationSeconds!)).toBeLessThanOrEqual(0.25);

    const chats = hits.filter((h) => h.url.pathname === "/api/chat");
    expect(chats).toHaveLength(5); // script, terms, title, description, keywords
    expect(JSON.parse(chats[0]!.body).model).toBe("llama3.1:8b");
    expect(ctx.script?.searchTerms).toEqual(["city lights", "night traffic", "skyline"]);
    expect(hits.filter((h) => h.url.pathname === "/videos/search").map((h) => h.url.searchParams.get("query"))).toEqual(ctx.script!.searchTerms);
    expect(hits.filter((h) => h.url.pathname.startsWith("/cdn/"))).toHaveLength(3);
    // the API key never travels to the CDN
    expect(hits.filter((h) => h.url.pathname.startsWith("/cdn/")).every((h) => h.headers.authorization === undefined)).toBe(true);
    const tts = hits.filter((h) => h.url.pathname === "/media/api/text/speech/invoke/");
    expect(tts.map((h) => h.url.searchParams.get("req_text"))).toEqual(["Cities never really sleep.", "Lights stay on, and traffic keeps moving long after midnight."]);
    expect(tts.every((h) => h.url.searchParams.get("text_speaker") === "en_us_006")).toBe(true);
  });
});
