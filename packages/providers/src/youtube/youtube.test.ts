import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeServer, sendJson, type RecordedRequest } from "../__tests__/fake-server.ts";
import { tempDir } from "../__tests__/helpers.ts";
import { describeVendorFailures } from "../__tests__/vendor-failures.ts";
import { createYouTube, youtubeSnippet } from "./index.ts";

async function videoFile(size = 300_000) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  const path = join(await tempDir(), "video.mp4");
  await writeFile(path, bytes);
  return { path, bytes };
}

/** Google's token endpoint and YouTube's resumable upload, on one fake server. */
async function fakeGoogle(overrides: { token?: (req: RecordedRequest, res: import("node:http").ServerResponse) => void } = {}) {
  const server = await fakeServer((req, res) => {
    if (req.method === "POST" && req.path === "/token") {
      if (overrides.token) return overrides.token(req, res);
      return sendJson(res, 200, { access_token: "ya29.fake", expires_in: 3599, scope: "https://www.googleapis.com/auth/youtube.upload", token_type: "Bearer" });
    }
    if (req.method === "POST" && req.url.pathname === "/upload/youtube/v3/videos") {
      res.writeHead(200, { location: `${server.url}/upload/youtube/v3/videos?uploadType=resumable&upload_id=UP123` });
      return res.end();
    }
    if (req.method === "PUT" && req.url.searchParams.get("upload_id") === "UP123") {
      return sendJson(res, 200, { kind: "youtube#video", id: "vid_42", snippet: {}, status: { uploadStatus: "uploaded" } });
    }
    sendJson(res, 404, { error: { code: 404, message: "not found" } });
  });
  return server;
}

const creds = { clientId: "cid", clientSecret: "csecret", refreshToken: "rtoken" };

describe("youtube", () => {
  it("refreshes the token, opens a resumable session with the metadata, PUTs the bytes, reports progress", async () => {
    const server = await fakeGoogle();
    const { path, bytes } = await videoFile();
    const yt = createYouTube({ ...creds, tokenUrl: `${server.url}/token`, apiBaseUrl: server.url });
    const progress: number[] = [];
    const result = await yt.upload(
      path,
      { title: "Bees <3 #shorts", description: "All about bees.", keywords: ["bees", "honey bees"], privacyStatus: "unlisted" },
      { onProgress: (f) => progress.push(f) },
    );
    expect(result).toEqual({ videoId: "vid_42", url: "https://www.youtube.com/watch?v=vid_42" });

    const [token, start, put] = server.requests;
    expect(token!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(token!.body.toString()))).toEqual({
      client_id: "cid",
      client_secret: "csecret",
      refresh_token: "rtoken",
      grant_type: "refresh_token",
    });

    expect(Object.fromEntries(start!.url.searchParams)).toEqual({ uploadType: "resumable", part: "snippet,status" });
    expect(start!.headers.authorization).toBe("Bearer ya29.fake");
    expect(start!.headers["x-upload-content-length"]).toBe(String(bytes.length));
    expect(start!.headers["x-upload-content-type"]).toBe("video/mp4");
    expect(start!.json()).toEqual({
      snippet: { title: "Bees 3 #shorts", description: "All about bees.", tags: ["bees", "honey bees"], categoryId: "22" },
      status: { privacyStatus: "unlisted", selfDeclaredMadeForKids: false },
    });

    expect(put!.method).toBe("PUT");
    expect(put!.headers.authorization).toBe("Bearer ya29.fake");
    expect(put!.headers["content-type"]).toBe("video/mp4");
    expect(put!.body.equals(bytes)).toBe(true);

    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);

    // the access token is reused while valid
    await yt.upload(path, { title: "t", description: "d", keywords: [] });
    expect(server.requests.filter((r) => r.path === "/token")).toHaveLength(1);
  });

  it("a revoked refresh token (400 invalid_grant) is permanent and names YOUTUBE_REFRESH_TOKEN", async () => {
    const server = await fakeGoogle({
      token: (_req, res) => sendJson(res, 400, { error: "invalid_grant", error_description: "Token has been expired or revoked." }),
    });
    const { path } = await videoFile(10);
    const yt = createYouTube({ ...creds, tokenUrl: `${server.url}/token`, apiBaseUrl: server.url });
    await expect(yt.upload(path, { title: "t", description: "d", keywords: [] })).rejects.toMatchObject({
      transient: false,
      envVar: "YOUTUBE_REFRESH_TOKEN",
      message: expect.stringContaining("expired or revoked"),
    });
  });

  it("keeps title, description and tags within YouTube's limits", () => {
    const s = youtubeSnippet({ title: "x".repeat(150), description: "é".repeat(3000), keywords: Array.from({ length: 100 }, (_, i) => `keyword ${i}`) });
    expect(s.title).toHaveLength(100);
    expect(Buffer.byteLength(s.description)).toBeLessThanOrEqual(5000);
    const tagChars = s.tags.reduce((n, t) => n + t.length + 2, 0) + s.tags.length - 1;
    expect(tagChars).toBeLessThanOrEqual(500);
    expect(s.tags.length).toBeGreaterThan(10);
  });
});

describeVendorFailures("youtube", {
  envVar: "YOUTUBE_CLIENT_ID",
  errorBody: (s) => ({ error: s === 401 ? "invalid_client" : "server_error", error_description: `fake ${s}` }),
  call: async (url, signal) => {
    const { path } = await videoFile(10);
    return createYouTube({ ...creds, tokenUrl: `${url}/token`, apiBaseUrl: url }).upload(path, { title: "t", description: "d", keywords: [] }, { signal });
  },
});

describe("youtube: upload-stage failures", () => {
  it("401 at upload start names YOUTUBE_REFRESH_TOKEN; 503 during the PUT is transient", async () => {
    let mode: "start401" | "put503" = "start401";
    const server = await fakeServer((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, { access_token: "a", expires_in: 3600 });
      if (req.method === "POST") {
        if (mode === "start401") return sendJson(res, 401, { error: { code: 401, message: "Invalid Credentials" } });
        res.writeHead(200, { location: `${server.url}/put` });
        return res.end();
      }
      sendJson(res, 503, { error: { code: 503, message: "Backend Error" } });
    });
    const { path } = await videoFile(1000);
    const yt = () => createYouTube({ ...creds, tokenUrl: `${server.url}/token`, apiBaseUrl: server.url });
    await expect(yt().upload(path, { title: "t", description: "d", keywords: [] })).rejects.toMatchObject({
      transient: false,
      envVar: "YOUTUBE_REFRESH_TOKEN",
    });
    mode = "put503";
    await expect(yt().upload(path, { title: "t", description: "d", keywords: [] })).rejects.toMatchObject({ transient: true, status: 503 });
  });
});

describe("youtube: quota", () => {
  it("403 quotaExceeded at upload start is permanent but blames no setting", async () => {
    const server = await fakeServer((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, { access_token: "a", expires_in: 3600 });
      sendJson(res, 403, {
        error: { code: 403, message: "The request cannot be completed because you have exceeded your quota.", errors: [{ reason: "quotaExceeded", domain: "youtube.quota" }] },
      });
    });
    const { path } = await videoFile(100);
    const err = await createYouTube({ ...creds, tokenUrl: `${server.url}/token`, apiBaseUrl: server.url })
      .upload(path, { title: "t", description: "d", keywords: [] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: false, status: 403, envVar: undefined, message: expect.stringContaining("quota") });
  });
});
