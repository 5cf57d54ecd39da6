import { describe, expect, it } from "vitest";
import { fakeServer, sendJson } from "../__tests__/fake-server.ts";
import { describeVendorFailures } from "../__tests__/vendor-failures.ts";
import { createOpenAI } from "./index.ts";

describe("openai-compatible", () => {
  it("POSTs {base}/chat/completions with a Bearer key and returns choices[0].message.content", async () => {
    const server = await fakeServer((_req, res) =>
      sendJson(res, 200, {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o-mini",
        choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
    const llm = createOpenAI({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "gpt-4o-mini" });
    expect(await llm.generate({ system: "sys", prompt: "hi" })).toBe("Hello!");
    const [req] = server.requests;
    expect(req).toMatchObject({ method: "POST", path: "/v1/chat/completions" });
    expect(req!.headers.authorization).toBe("Bearer sk-test");
    expect(req!.json()).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "sys" },
        { role: "user", content: "hi" },
      ],
    });
  });

  it("sends no Authorization header for keyless local servers (LM Studio)", async () => {
    const server = await fakeServer((_req, res) => sendJson(res, 200, { choices: [{ message: { content: "ok" } }] }));
    await createOpenAI({ baseUrl: server.url }).generate({ prompt: "x" });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("lists models from GET {base}/models", async () => {
    const server = await fakeServer((_req, res) =>
      sendJson(res, 200, { object: "list", data: [{ id: "gpt-4o", object: "model" }, { id: "gpt-4o-mini", object: "model" }] }),
    );
    const models = await createOpenAI({ baseUrl: `${server.url}/v1`, apiKey: "k" }).listModels();
    expect(models).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/v1/models" });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer k");
  });

  it("an unknown model is permanent and names OPENAI_MODEL; a wrong path names OPENAI_BASE_URL", async () => {
    const server = await fakeServer((req, res) =>
      req.path.startsWith("/v1/")
        ? sendJson(res, 404, { error: { message: "The model `nope` does not exist", type: "invalid_request_error", code: "model_not_found" } })
        : sendJson(res, 404, { error: "Not Found" }),
    );
    await expect(createOpenAI({ baseUrl: `${server.url}/v1`, apiKey: "k" }).generate({ prompt: "x", model: "nope" })).rejects.toMatchObject({
      transient: false,
      envVar: "OPENAI_MODEL",
    });
    await expect(createOpenAI({ baseUrl: server.url, apiKey: "k" }).generate({ prompt: "x" })).rejects.toMatchObject({
      transient: false,
      envVar: "OPENAI_BASE_URL",
    });
  });
});

describeVendorFailures("openai", {
  envVar: "OPENAI_API_KEY",
  call: (url, signal) => createOpenAI({ baseUrl: url, apiKey: "bad" }).generate({ prompt: "hi" }, { signal }),
});
