import { describe, expect, it } from "vitest";
import { cleanScript, languageOfVoice, parseStringList, splitSentences, splitToLimit, termsFromSubject } from "./text.ts";

describe("cleanScript", () => {
  it("strips markdown, titles and stage directions", () => {
    const raw = `## The Deep Sea\n\n**Title: Ocean Secrets**\n\n[Music]\nNarrator: The **ocean** is *vast*. (pause) It hides #secrets.\n\n---\n\nVoiceover: Whales sing for hours.\n\n- Fish glow in the dark.`;
    expect(cleanScript(raw, 5)).toBe("The ocean is vast. It hides secrets.\n\nWhales sing for hours.\n\nFish glow in the dark.");
  });
  it("keeps at most paragraphNumber paragraphs", () => {
    expect(cleanScript("One.\n\nTwo.\n\nThree.", 2)).toBe("One.\n\nTwo.");
  });
  it("returns empty text when nothing is left to say", () => {
    expect(cleanScript("# Title\n\n[Music]\n(pause)", 1)).toBe("");
  });
});

describe("parseStringList", () => {
  it.each([
    ['["a b", "c"]', ["a b", "c"]],
    ['Here are your terms:\n```json\n["ocean waves", "deep sea"]\n```\nEnjoy!', ["ocean waves", "deep sea"]],
    ["['ocean waves', 'deep sea',]", ["ocean waves", "deep sea"]],
    ["['king's crown', 'sea']", ["king's crown", "sea"]],
    ['["a", "b",\n]', ["a", "b"]],
    ['[{"term": "reef"}, {"term": "shark"}]', ["reef", "shark"]],
    ["1. ocean waves\n2. deep sea\n3. coral reef", ["ocean waves", "deep sea", "coral reef"]],
    ['["Sea", "sea", " sea "]', ["Sea"]],
  ])("%s", (reply, expected) => {
    expect(parseStringList(reply)).toEqual(expected);
  });
});

describe("sentences and limits", () => {
  it("splits sentences after . ! ?", () => {
    expect(splitSentences("Hi there. How are you?  Fine!\nOk")).toEqual(["Hi there.", "How are you?", "Fine!", "Ok"]);
  });
  it("splits a long sentence at commas first, then spaces, never over the limit", () => {
    const s = "The ocean is very large, it covers most of the planet, and nobody has seen all of it";
    const parts = splitToLimit(s, 30);
    expect(parts).toEqual(["The ocean is very large,", "it covers most of the planet,", "and nobody has seen all of it"]);
    for (const p of splitToLimit("word ".repeat(40).trim(), 17)) expect(p.length).toBeLessThanOrEqual(17);
    expect(splitToLimit("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });
});

describe("language and fallbacks", () => {
  it("takes the language from the voice id", () => {
    expect(languageOfVoice("en_us_001")).toBe("en");
    expect(languageOfVoice("de_001")).toBe("de");
    expect(languageOfVoice("br_003")).toBe("pt");
  });
  it("falls back to the subject's words for search terms", () => {
    expect(termsFromSubject("The history of the Roman Empire", 3)).toEqual(["The history of the Roman Empire", "history", "roman"]);
  });
});
