import { describe, expect, it } from "vitest";
import { fakeServer, sendJson } from "../__tests__/fake-server.ts";
import { describeVendorFailures } from "../__tests__/vendor-failures.ts";
import { createOllama } from "./index.ts";

describe("ollama", () => {
  it("chats via POST /api/chat, non-streaming, with system and user messages", async () => {
    const server = await fakeServer((req, res) =>
      sendJson(res, 200, {
        model: "llama3.1:8b",
        created_at: "2024-01-01T00:00:00Z",
        message: { role: "assistant", content: "Bees are amazing." },
        done: true,
        done_reason: "stop",
      }),
    );
    const llm = createOllama({ host: server.url + "/", model: "llama3.1:8b" });
    expect(llm.defaultModel).toBe("llama3.1:8b");
    const out = await llm.generate({ system: "Be brief.", prompt: "Bees?" });
    expect(out).toBe("Bees are amazing.");
    const [req] = server.requests;
    expect(req).toMatchObject({ method: "POST", path: "/api/chat" });
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.json()).toEqual({
      model: "llama3.1:8b",
      stream: false,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Bees?" },
      ],
    });
    await llm.generate({ prompt: "x", model: "mistral" });
    expect(server.requests[1]!.json()).toMatchObject({ model: "mistral", messages: [{ role: "user", content: "x" }] });
  });

  it("lists models from GET /api/tags", async () => {
    const server = await fakeServer((req, res) =>
      sendJson(res, 200, { models: [{ name: "llama3.1:8b", model: "llama3.1:8b", size: 1 }, { name: "mistral:latest" }] }),
    );
    expect(await createOllama({ host: server.url }).listModels()).toEqual(["llama3.1:8b", "mistral:latest"]);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/api/tags" });
  });

  it("a missing model (404) is permanent and names OLLAMA_MODEL", async () => {
    const server = await fakeServer((_req, res) =>
      sendJson(res, 404, { error: "model 'nope' not found, try pulling it first" }),
    );
    await expect(createOllama({ host: server.url, model: "nope" }).generate({ prompt: "x" })).rejects.toMatchObject({
      transient: false,
      status: 404,
      envVar: "OLLAMA_MODEL",
      message: expect.stringContaining("model 'nope' not found"),
    });
  });

  it("a reply without message.content is an error, not an empty script", async () => {
    const server = await fakeServer((_req, res) => sendJson(res, 200, { done: true }));
    await expect(createOllama({ host: server.url }).generate({ prompt: "x" })).rejects.toThrow(/message.content/);
  });
});

describeVendorFailures("ollama", {
  envVar: "OLLAMA_HOST",
  errorBody: (s) => ({ error: `fake ${s}` }),
  call: (url, signal) => createOllama({ host: url }).generate({ prompt: "hi" }, { signal }),
});
