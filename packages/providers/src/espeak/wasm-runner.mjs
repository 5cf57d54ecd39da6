// Runs the espeak-ng CLI compiled to WebAssembly (npm `espeak-ng`) in its own
// process: the wasm call is synchronous and cannot be interrupted, so a
// child process is what lets the job's AbortSignal stop it (SIGKILL).
// Usage: node wasm-runner.mjs <voice> <out.wav> [wordsPerMinute]   (text on stdin, UTF-8)
import { writeFile } from "node:fs/promises";
import ESpeakNg from "espeak-ng";

const [voice, outPath, wpm = "160"] = process.argv.slice(2);
if (!voice || !outPath) {
  process.stderr.write("usage: wasm-runner.mjs <voice> <out.wav>\n");
  process.exit(2);
}
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const errors = [];
const espeak = await ESpeakNg({
  // the text goes through a file in the in-memory FS, so it is never parsed as options
  arguments: ["-v", voice, "-s", wpm, "-b", "1", "-w", "/out.wav", "-f", "/in.txt"],
  preRun: [(mod) => mod.FS.writeFile("/in.txt", text)],
  print: () => {},
  printErr: (line) => errors.push(line),
});
let wav;
try {
  wav = espeak.FS.readFile("/out.wav");
} catch {
  process.stderr.write(`espeak-ng (wasm) wrote no audio: ${errors.join(" | ")}\n`);
  process.exit(1);
}
await writeFile(outPath, wav);
if (errors.length > 0) process.stderr.write(errors.join("\n") + "\n");
