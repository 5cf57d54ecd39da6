import { mkdir, readdir, rename, rm, mkdtemp } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { envelope } from "./envelope.ts";
import { isMp3File } from "./mp3.ts";

export interface UploadLimits {
  /** bytes per file */
  fileSize: number;
  /** files per request */
  files: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { fileSize: 50 * 1024 * 1024, files: 50 };

/** `../x.mp3` → `x.mp3`; also strips Windows paths and characters that are trouble in a file name. */
export function safeSongName(filename: string): string {
  const base = basename(filename.replace(/\\/g, "/")).replace(/[\u0000-\u001f<>:"|?*]/g, "_").trim();
  return base.startsWith(".") ? `_${base.slice(1)}` : base;
}

type Answer = { code: number; body: object };
const answer = (code: number, body: object): Answer => ({ code, body });

/**
 * POST /api/upload-songs: replaces the song library with the uploaded MP3s.
 * Files land in a fresh temporary directory beside the library and are checked byte-wise;
 * the library is only touched once at least one real MP3 arrived, so a bad upload loses nothing.
 */
export function registerUploadSongs(app: FastifyInstance, opts: { songsDir: string; limits: UploadLimits }) {
  app.post("/api/upload-songs", async (request, reply) => {
    if (!request.isMultipart()) {
      return reply.status(400).send(envelope('Send the songs as multipart/form-data in the field "songs".'));
    }
    await mkdir(opts.songsDir, { recursive: true });
    const staging = await mkdtemp(join(opts.songsDir, ".upload-"));
    let result: Answer;
    try {
      result = await receive(request, staging);
    } finally {
      // staging is gone before the client hears back, whatever happened
      await rm(staging, { recursive: true, force: true });
    }
    return reply.status(result.code).send(result.body);
  });

  async function receive(request: FastifyRequest, staging: string): Promise<Answer> {
    const received: { name: string; path: string }[] = [];
    let index = 0;
    for await (const part of request.parts({ limits: { fileSize: opts.limits.fileSize, files: opts.limits.files } })) {
      if (part.type !== "file") continue;
      if (part.fieldname !== "songs" && part.fieldname !== "songs[]") {
        part.file.resume(); // drain parts we do not use
        continue;
      }
      const name = safeSongName(part.filename || "");
      const path = join(staging, `${index++}`);
      await pipeline(part.file, createWriteStream(path));
      if (part.file.truncated) {
        const mb = Math.floor(opts.limits.fileSize / 1024 / 1024);
        const limit = mb >= 1 ? `${mb} MB` : `${Math.floor(opts.limits.fileSize / 1024)} KB`;
        return answer(413, envelope(`${name || "A file"} is larger than ${limit}.`));
      }
      received.push({ name, path });
    }
    if (received.length === 0) return answer(400, envelope("No files uploaded."));
    const songs: { name: string; path: string }[] = [];
    const skipped: string[] = [];
    for (const f of received) {
      if (/.\.mp3$/i.test(f.name) && (await isMp3File(f.path))) songs.push(f);
      else skipped.push(f.name);
    }
    if (songs.length === 0) return answer(400, envelope("No MP3 files found."));
    // replace the library: old songs out, new ones in (same filesystem, so renames are atomic)
    for (const old of await readdir(opts.songsDir)) {
      if (old.toLowerCase().endsWith(".mp3")) await rm(join(opts.songsDir, old), { force: true });
    }
    const taken = new Set<string>();
    const saved: string[] = [];
    for (const s of songs) {
      // two uploads with one name keep both: "a.mp3", "a (2).mp3"
      let name = s.name;
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = s.name.replace(/\.mp3$/i, ` (${n}).mp3`);
      taken.add(name.toLowerCase());
      saved.push(name);
      await rename(s.path, join(opts.songsDir, name));
    }
    return answer(200, { status: "success", message: `Uploaded ${songs.length} song(s).`, songs: saved, skipped });
  }
}
