import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const MAIN = join(import.meta.dirname, "..", "main.ts");

function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, LOG_LEVEL: "info", WORKER_CONCURRENCY: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitFor(cond: () => boolean, ms = 90_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the server process (npm start)", () => {
  it("serves on PORT with the embedded database, refuses a second process on the same DATA_DIR, and stops cleanly on SIGTERM", { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mp-main-"));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const first = startMain({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitFor(() => first.output().includes("MoneyPrinter API on"));
      const res = await fetch(`http://127.0.0.1:${port}/api/generate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ videoSubject: "process test" }),
      });
      expect(res.status).toBe(200);
      expect(existsSync(join(dataDir, "pglite.lock"))).toBe(true);

      const second = startMain({ DATA_DIR: dataDir, PORT: String(port + 1) });
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/already in use by process \d+/);
      expect(second.output()).toContain("DATABASE_URL");
      expect(second.output()).not.toMatch(/\n\s+at /); // a sentence, not a stack trace

      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
    } finally {
      first.child.kill("SIGKILL");
    }

    // the data survived the restart
    const again = startMain({ DATA_DIR: dataDir, PORT: String(port + 2) });
    try {
      await waitFor(() => again.output().includes("MoneyPrinter API on"));
      const list = await (await fetch(`http://127.0.0.1:${port + 2}/api/jobs`)).json();
      expect(list.jobs).toHaveLength(1);
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  });

  it("stops with a sentence naming the variable when a setting is wrong", async () => {
    const bad = startMain({ PORT: "eighty", DATA_DIR: mkdtempSync(join(tmpdir(), "mp-main-")) });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/Invalid setting PORT/);
  });
});
