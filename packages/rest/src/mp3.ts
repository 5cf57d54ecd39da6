import { open } from "node:fs/promises";

// MPEG audio frame header tables (ISO 11172-3 / 13818-3), Layer III only: that is what .mp3 means.
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** Length in bytes of the Layer III frame whose header is at buf[0..3], or 0 when it is not one. */
export function mp3FrameLength(h: Uint8Array): number {
  if (h.length < 4 || h[0] !== 0xff || (h[1]! & 0xe0) !== 0xe0) return 0;
  const version = (h[1]! >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5, 1 = reserved
  const layer = (h[1]! >> 1) & 3; // 1 = Layer III
  const bitrateIdx = h[2]! >> 4;
  const rateIdx = (h[2]! >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIdx === 0 || bitrateIdx === 15 || rateIdx === 3) return 0;
  const kbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIdx]!;
  const rate = SAMPLE_RATES[version]![rateIdx]!;
  const padding = (h[2]! >> 1) & 1;
  return Math.floor(((version === 3 ? 144 : 72) * kbps * 1000) / rate) + padding;
}

/**
 * True when the file really is MPEG Layer III audio: an optional ID3v2 tag, then a frame header
 * whose computed length lands on a second frame header (or the end of the file). A text or
 * image file renamed to .mp3 fails this; so does random data with a stray 0xFFE sync.
 */
export async function isMp3File(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(10);
    await fh.read(head, 0, 10, 0);
    let offset = 0;
    if (head.toString("latin1", 0, 3) === "ID3") {
      const tagSize = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
      offset = 10 + tagSize + (head[5]! & 0x10 ? 10 : 0);
    }
    // encoders may pad after the tag: look for the first frame within the next 4 KiB
    const window = Buffer.alloc(4096 + 4);
    const { bytesRead } = await fh.read(window, 0, window.length, offset);
    for (let i = 0; i + 4 <= bytesRead; i++) {
      const len = mp3FrameLength(window.subarray(i, i + 4));
      if (!len) continue;
      const next = offset + i + len;
      if (next === size) return true;
      if (next + 4 > size) continue;
      const second = Buffer.alloc(4);
      await fh.read(second, 0, 4, next);
      if (mp3FrameLength(second)) return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}
