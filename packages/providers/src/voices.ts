import type { VoiceInfo } from "./spec/voice.ts";

/**
 * The voice ids of the original MoneyPrinter (its TikTok voice list). The web
 * page and API clients send these, so every VoiceSynth accepts them; the
 * offline and ElevenLabs synths map them to a language (first two letters).
 */
const CATALOGUE: ReadonlyArray<readonly [id: string, name: string]> = [
  // Disney voices
  ["en_us_ghostface", "Ghost Face"],
  ["en_us_chewbacca", "Chewbacca"],
  ["en_us_c3po", "C3PO"],
  ["en_us_stitch", "Stitch"],
  ["en_us_stormtrooper", "Stormtrooper"],
  ["en_us_rocket", "Rocket"],
  // English voices
  ["en_au_001", "English AU - Female"],
  ["en_au_002", "English AU - Male"],
  ["en_uk_001", "English UK - Male 1"],
  ["en_uk_003", "English UK - Male 2"],
  ["en_us_001", "English US - Female (Int. 1)"],
  ["en_us_002", "English US - Female (Int. 2)"],
  ["en_us_006", "English US - Male 1"],
  ["en_us_007", "English US - Male 2"],
  ["en_us_009", "English US - Male 3"],
  ["en_us_010", "English US - Male 4"],
  // European voices
  ["fr_001", "French - Male 1"],
  ["fr_002", "French - Male 2"],
  ["de_001", "German - Female"],
  ["de_002", "German - Male"],
  ["es_002", "Spanish - Male"],
  // American voices
  ["es_mx_002", "Spanish MX - Male"],
  ["br_001", "Portuguese BR - Female 1"],
  ["br_003", "Portuguese BR - Female 2"],
  ["br_004", "Portuguese BR - Female 3"],
  ["br_005", "Portuguese BR - Male"],
  // Asian voices
  ["id_001", "Indonesian - Female"],
  ["jp_001", "Japanese - Female 1"],
  ["jp_003", "Japanese - Female 2"],
  ["jp_005", "Japanese - Female 3"],
  ["jp_006", "Japanese - Male"],
  ["kr_002", "Korean - Male 1"],
  ["kr_003", "Korean - Female"],
  ["kr_004", "Korean - Male 2"],
  // Singing voices
  ["en_female_f08_salut_damour", "Alto"],
  ["en_male_m03_lobby", "Tenor"],
  ["en_female_f08_warmy_breeze", "Warmy Breeze"],
  ["en_male_m03_sunshine_soon", "Sunshine Soon"],
  // Other
  ["en_male_narration", "Narrator"],
  ["en_male_funny", "Wacky"],
  ["en_female_emotional", "Peaceful"],
];

// TikTok's ids use country-ish prefixes for three languages; everything else
// already starts with the ISO 639-1 code.
const PREFIX_TO_LANGUAGE: Record<string, string> = { br: "pt", jp: "ja", kr: "ko" };

/** The 2-letter language of a voice id: its first two letters (br/jp/kr mapped to pt/ja/ko). */
export function voiceLanguage(voiceId: string): string {
  const prefix = voiceId.slice(0, 2).toLowerCase();
  return PREFIX_TO_LANGUAGE[prefix] ?? prefix;
}

export const MONEYPRINTER_VOICES: readonly VoiceInfo[] = CATALOGUE.map(([id, name]) => ({
  id,
  name,
  language: voiceLanguage(id),
}));
