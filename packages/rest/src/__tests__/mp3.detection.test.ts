import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isMp3File, mp3FrameLength } from "../mp3.ts";
import { safeSongName } from "../upload-songs.ts";

const dir = mkdtempSync(join(tmpdir(), "mp3-"));
const file = (name: string, data: Buffer | string) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const frame = (header: number[], len: number) => {
  const b = Buffer.alloc(len);
  b.set(header);
  return b;
};

describe("MPEG Layer III frame headers", () => {
  it("computes frame lengths from the standard's tables", () => {
    expect(mp3FrameLength(Uint8Array.from([0xff, 0xfb, 0x90, 0x00]))).toBe(417); // MPEG1 128k 44.1k
    expect(mp3FrameLength(Uint8Array.from([0xff, 0xfb, 0x92, 0x00]))).toBe(418); // + padding
    expect(mp3FrameLength(Uint8Array.from([0xff, 0xfb, 0xe4, 0x04]))).toBe(960); // MPEG1 320k 48k
    expect(mp3FrameLength(Uint8Array.from([0xff, 0xf3, 0x84, 0x00]))).toBe(192); // MPEG2 64k 24k: 72 * 64000 / 24000
  });

  it("rejects other layers, bad indexes and non-sync bytes", () => {
    expect(mp3FrameLength(Uint8Array.from([0xff, 0xfd, 0x90, 0x00]))).toBe(0); // layer II
    expect(mp3FrameLength(Uint8Array.from([0xff, 0xfb, 0xf0, 0x00]))).toBe(0); // bitrate 15
    expect(mp3FrameLength(Uint8Array.from([0xff, 0xfb, 0x9c, 0x00]))).toBe(0); // sample rate 3
    expect(mp3FrameLength(Uint8Array.from([0x49, 0x44, 0x33, 0x04]))).toBe(0);
  });

  it("accepts consecutive frames, with or without an ID3v2 tag", async () => {
    const frames = Buffer.concat([frame([0xff, 0xfb, 0x90, 0x00], 417), frame([0xff, 0xfb, 0x90, 0x00], 417)]);
    expect(await isMp3File(file("plain.mp3", frames))).toBe(true);
    const tag = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0x01, 0x00]), Buffer.alloc(128)]); // 128-byte tag
    expect(await isMp3File(file("tagged.mp3", Buffer.concat([tag, frames])))).toBe(true);
  });

  it("rejects text, images and a lone sync word followed by garbage", async () => {
    expect(await isMp3File(file("text.mp3", "ID3 is not enough; this is text\n".repeat(20)))).toBe(false);
    expect(await isMp3File(file("png.mp3", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex")))).toBe(false);
    const lone = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(1000, 0x20)]);
    expect(await isMp3File(file("lone.mp3", lone))).toBe(false);
    expect(await isMp3File(file("empty.mp3", ""))).toBe(false);
  });
});

describe("song names", () => {
  it.each([
    ["../x.mp3", "x.mp3"],
    ["../../etc/passwd", "passwd"],
    ["C:\\Music\\a.mp3", "a.mp3"],
    [".hidden.mp3", "_hidden.mp3"],
    ["we<ird>:name?.mp3", "we_ird__name_.mp3"],
  ])("%s → %s", (input, out) => expect(safeSongName(input)).toBe(out));
});
