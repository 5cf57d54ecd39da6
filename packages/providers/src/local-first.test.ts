import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createLocalFirstLlm } from "./local-first.ts";
import { createOllama } from "./ollama/index.ts";
import { createTemplate } from "./template/index.ts";

describe("local-first LLM (nothing configured)", () => {
  it("uses Ollama when it answers and the template writer when it is down", async () => {
    let chats = 0;
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/tags") return res.end(JSON.stringify({ models: [{ name: "llama3.1:8b" }] }));
      chats++;
      res.end(JSON.stringify({ model: "llama3.1:8b", message: { role: "assistant", content: "From Ollama." }, done: true }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const up = createLocalFirstLlm(createOllama({ host }), createTemplate());
    expect(await up.generate({ prompt: "Write a script about the sea." })).toBe("From Ollama.");
    expect(up.lastChoice()).toBe("ollama");
    expect(chats).toBe(1);
    expect(await up.listModels()).toEqual(["llama3.1:8b"]);
    await new Promise((r) => server.close(r));

    const down = createLocalFirstLlm(createOllama({ host }), createTemplate(), { cacheMs: 0 });
    const started = Date.now();
    const text = await down.generate({ prompt: "Write a script about the sea." });
    expect(down.lastChoice()).toBe("template");
    expect(text.length).toBeGreaterThan(20);
    expect(Date.now() - started).toBeLessThan(5_000); // a refused connection does not hang the job
    await expect(down.listModels()).rejects.toBeTruthy(); // GET /api/models shows the contract's fallback
  });
});
