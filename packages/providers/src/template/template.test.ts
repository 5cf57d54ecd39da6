import { describe, expect, it } from "vitest";
import { createTemplate } from "./index.ts";
import { classifyPrompt, extractSubject, templateMetadata, templateScript, templateSearchTerms } from "./writer.ts";

describe("template writer", () => {
  it("writes the requested number of paragraphs about the subject, deterministically", () => {
    const a = templateScript("the history of Rome", 3);
    const paragraphs = a.split("\n\n");
    expect(paragraphs).toHaveLength(3);
    for (const p of paragraphs) expect(p.split(/(?<=\.)\s/).length).toBeGreaterThanOrEqual(3);
    expect(a).toContain("the history of Rome");
    expect(a).not.toMatch(/[#*]|\{s\}/); // no markdown, no unfilled slots
    expect(templateScript("the history of Rome", 3)).toBe(a);
    expect(templateScript("deep sea fish", 3)).not.toBe(a);
  });

  it("gives short distinct search terms built from the subject's words", () => {
    const terms = templateSearchTerms("How do honey bees make honey?", 5);
    expect(terms).toHaveLength(5);
    expect(new Set(terms).size).toBe(5);
    for (const t of terms) expect(t.split(" ").length).toBeLessThanOrEqual(3);
    expect(terms[0]).toBe("honey bees make");
    expect(terms).toContain("bees");
  });

  it("makes a title under 100 chars with hashtags, a description and keywords", () => {
    const m = templateMetadata("black holes", "Black holes bend light. They are strange.");
    expect(m.title.length).toBeLessThanOrEqual(100);
    expect(m.title).toMatch(/^Black holes.*#shorts/);
    expect(m.description).toMatch(/^Black holes bend light\./);
    expect(m.keywords.length).toBeGreaterThan(0);
  });

  it("recognises the kinds of prompt the original MoneyPrinter sends", () => {
    expect(classifyPrompt("Generate 5 search terms for stock videos ... return a JSON-Array of strings")).toBe("terms");
    expect(classifyPrompt("Generate 6 keywords for a YouTube video")).toBe("keywords");
    expect(classifyPrompt("Generate a catchy and SEO-friendly title for a YouTube shorts video about cats")).toBe("title");
    expect(classifyPrompt("Write a brief and engaging description for a YouTube shorts video about cats")).toBe("description");
    expect(classifyPrompt("Generate a script for a video.\nSubject: cats\nNumber of paragraphs: 2")).toBe("script");
    expect(extractSubject("Generate a script.\nSubject: cats and dogs\nLanguage: en")).toBe("cats and dogs");
    expect(extractSubject("a title for a video about deep sea fish. Only the title.")).toBe("deep sea fish");
  });
});

describe("createTemplate", () => {
  const llm = createTemplate();

  it("answers a script prompt with N paragraphs", async () => {
    const out = await llm.generate({ prompt: "Generate a script for a video.\nSubject: volcanoes\nNumber of paragraphs: 2" });
    expect(out.split("\n\n")).toHaveLength(2);
    expect(out).toContain("volcanoes");
  });

  it("answers a search-terms prompt with a parseable JSON array of the asked length", async () => {
    const out = await llm.generate({
      prompt: "Generate 4 search terms for stock videos, depending on the subject of a video.\nSubject: volcanoes erupting",
    });
    const parsed = JSON.parse(out) as unknown;
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed).toHaveLength(4);
    expect((parsed as string[]).join(" ")).toContain("volcanoes");
  });

  it("answers title and keywords prompts", async () => {
    const title = await llm.generate({ prompt: "Generate a title for a YouTube shorts video about volcanoes" });
    expect(title).toMatch(/^Volcanoes/);
    expect(title).not.toContain("\n");
    const keywords = JSON.parse(await llm.generate({ prompt: "Give 3 keywords.\nSubject: volcanoes" })) as string[];
    expect(keywords).toHaveLength(3);
  });

  it("lists its one model and honours an aborted signal", async () => {
    expect(await llm.listModels()).toEqual(["template"]);
    const ac = new AbortController();
    ac.abort();
    await expect(llm.generate({ prompt: "x" }, { signal: ac.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});

// The prompts packages/pipeline sends (steps/script.ts, terms.ts, metadata.ts), abridged.
describe("createTemplate with the pipeline's prompts", () => {
  const llm = createTemplate();
  const subject = "Why do cats purr";
  const script = "Cats purr when content. They also purr when hurt, and graffiti tags have nothing to do with it.";

  it("script prompt: N paragraphs about the subject", async () => {
    const prompt = `Generate a script for a video, depending on the subject of the video.
The script is to be returned as a string with the specified number of paragraphs.
YOU MUST NOT INCLUDE ANY TYPE OF MARKDOWN OR FORMATTING IN THE SCRIPT, NEVER START WITH A HEADING.

Subject: ${subject}
Number of paragraphs: 3
[LANGUAGE]: English`;
    expect(classifyPrompt(prompt)).toBe("script");
    const out = await llm.generate({ prompt });
    expect(out.split("\n\n")).toHaveLength(3);
    expect(out).toContain("Why do cats purr");
  });

  it("terms prompt with the script as context: a JSON array of 5 about the subject", async () => {
    const prompt = `Generate 5 search terms for stock videos, depending on the subject of a video.
Subject: ${subject}

The search terms are to be returned as a JSON-Array of strings.
Example: ["search term 1", "search term 2", "search term 3"]

For context, here is the full text:
${script}`;
    const terms = JSON.parse(await llm.generate({ prompt })) as string[];
    expect(terms).toHaveLength(5);
    expect(terms[0]).toBe("cats purr");
  });

  it("title prompt: the subject, not the instruction", async () => {
    const title = await llm.generate({
      prompt: `Please generate a YouTube Video Title for the following subject, including hashtags: ${subject}. Only return the title, nothing else. Limit the title under 100 characters.`,
    });
    expect(title).toMatch(/^Why do cats purr: .*#cats #purr #shorts$/);
  });

  it("description prompt: built from the script it carries, even when the script says 'tags'", async () => {
    const prompt = `Please generate a YouTube Video Description for the following script: ${script}. Only return the description, nothing else.`;
    expect(classifyPrompt(prompt)).toBe("description");
    expect(await llm.generate({ prompt })).toBe("Cats purr when content. They also purr when hurt, and graffiti tags have nothing to do with it. #shorts");
  });

  it("keywords prompt: a JSON array of 6", async () => {
    const kw = JSON.parse(
      await llm.generate({
        prompt: `Please generate 6 keywords for a YouTube Video about the following subject: ${subject}. Return them as a JSON-Array of strings, nothing else.`,
      }),
    ) as string[];
    expect(kw).toHaveLength(6);
    expect(kw).toContain("cats");
  });
});
