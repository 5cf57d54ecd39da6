import { existsSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "@moneyprinter/db/testing";
import { expectEnvelope, json, silentMp3, startServer, type TestServer } from "./helpers.ts";

const [pglite] = testDatabases();

function form(files: { name: string; data: Buffer | string; field?: string }[]): FormData {
  const fd = new FormData();
  for (const f of files) fd.append(f.field ?? "songs", new Blob([typeof f.data === "string" ? f.data : new Uint8Array(f.data)]), f.name);
  return fd;
}

describe("POST /api/upload-songs", () => {
  let s: TestServer;
  let songs: string;
  beforeAll(async () => {
    s = await startServer(pglite!, { SONG_MAX_BYTES: String(200 * 1024) });
    songs = join(s.dataDir, "songs");
  });
  afterAll(() => s.close());
  const upload = (fd: FormData) => fetch(`${s.url}/api/upload-songs`, { method: "POST", body: fd });
  const library = () => readdirSync(songs).filter((f) => !f.startsWith(".")).sort();

  it("saves real MP3s under their base names and replaces the library", async () => {
    mkdirSync(songs, { recursive: true });
    writeFileSync(join(songs, "old.mp3"), silentMp3(5));
    const res = await upload(form([
      { name: "../evil.mp3", data: silentMp3() },
      { name: "C:\\Users\\me\\Music\\tagged.MP3", data: silentMp3(30, true) },
    ]));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.status).toBe("success");
    expect(body.message).toBe("Uploaded 2 song(s).");
    expect(library()).toEqual(["evil.mp3", "tagged.MP3"]);
    expect(existsSync(join(s.dataDir, "evil.mp3"))).toBe(false);
  });

  it("refuses a text file named .mp3 and keeps the existing library", async () => {
    const before = library();
    const res = await upload(form([{ name: "notes.mp3", data: "this is not audio at all, just text\n".repeat(50) }]));
    expect(res.status).toBe(400);
    expectEnvelope(await json(res), "No MP3 files found.");
    expect(library()).toEqual(before);
  });

  it("refuses a file that only starts like an MP3", async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(2000, 0x41)]);
    const res = await upload(form([{ name: "fake.mp3", data: fake }, { name: "song.wav", data: "RIFF....WAVE" }]));
    expect(res.status).toBe(400);
    expectEnvelope(await json(res), "No MP3 files found.");
  });

  it("keeps the MP3s of a mixed upload and names what it skipped", async () => {
    const res = await upload(form([{ name: "a.mp3", data: silentMp3() }, { name: "b.txt", data: "hello" }]));
    const body = await json(res);
    expect(body.message).toBe("Uploaded 1 song(s).");
    expect(body.skipped).toEqual(["b.txt"]);
    expect(library()).toEqual(["a.mp3"]);
  });

  it("answers No files uploaded. without files", async () => {
    const fd = new FormData();
    fd.append("note", "no files here");
    const res = await upload(fd);
    expect(res.status).toBe(400);
    expectEnvelope(await json(res), "No files uploaded.");
    const wrongField = await upload(form([{ name: "a.mp3", data: silentMp3(), field: "other" }]));
    expect(wrongField.status).toBe(400);
    expectEnvelope(await json(wrongField), "No files uploaded.");
  });

  it("answers a JSON or empty request with an envelope", async () => {
    const res = await fetch(`${s.url}/api/upload-songs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(400);
    expectEnvelope(await json(res));
    const empty = await fetch(`${s.url}/api/upload-songs`, { method: "POST" });
    expect(empty.status).toBe(400);
    expectEnvelope(await json(empty));
  });

  it("refuses a file over the size limit with 413 and loses nothing", async () => {
    const before = library();
    const res = await upload(form([{ name: "big.mp3", data: silentMp3(600) }])); // 250 KB > 200 KB
    expect(res.status).toBe(413);
    expectEnvelope(await json(res), /larger than/);
    expect(library()).toEqual(before);
    expect(readdirSync(songs).filter((f) => f.startsWith(".upload-"))).toEqual([]); // staging cleaned
  });
});
