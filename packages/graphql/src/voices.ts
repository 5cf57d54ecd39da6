/**
 * The TikTok TTS voices the original MoneyPrinter page offers, as static data until a voice
 * provider lists its own. A voice id's first two letters give the script's language.
 */
export interface VoiceInfo {
  id: string;
  name: string;
}

export const VOICES: readonly VoiceInfo[] = [
  // Disney
  { id: "en_us_ghostface", name: "Ghost Face" },
  { id: "en_us_chewbacca", name: "Chewbacca" },
  { id: "en_us_c3po", name: "C3PO" },
  { id: "en_us_stitch", name: "Stitch" },
  { id: "en_us_stormtrooper", name: "Stormtrooper" },
  { id: "en_us_rocket", name: "Rocket" },
  // English
  { id: "en_au_001", name: "English AU - Female" },
  { id: "en_au_002", name: "English AU - Male" },
  { id: "en_uk_001", name: "English UK - Male 1" },
  { id: "en_uk_003", name: "English UK - Male 2" },
  { id: "en_us_001", name: "English US - Female (Int. 1)" },
  { id: "en_us_002", name: "English US - Female (Int. 2)" },
  { id: "en_us_006", name: "English US - Male 1" },
  { id: "en_us_007", name: "English US - Male 2" },
  { id: "en_us_009", name: "English US - Male 3" },
  { id: "en_us_010", name: "English US - Male 4" },
  // Europe
  { id: "fr_001", name: "French - Male 1" },
  { id: "fr_002", name: "French - Male 2" },
  { id: "de_001", name: "German - Female" },
  { id: "de_002", name: "German - Male" },
  { id: "es_002", name: "Spanish - Male" },
  // America
  { id: "es_mx_002", name: "Spanish MX - Male" },
  { id: "br_001", name: "Portuguese BR - Female 1" },
  { id: "br_003", name: "Portuguese BR - Female 2" },
  { id: "br_004", name: "Portuguese BR - Female 3" },
  { id: "br_005", name: "Portuguese BR - Male" },
  // Asia
  { id: "id_001", name: "Indonesian - Female" },
  { id: "jp_001", name: "Japanese - Female 1" },
  { id: "jp_003", name: "Japanese - Female 2" },
  { id: "jp_005", name: "Japanese - Female 3" },
  { id: "jp_006", name: "Japanese - Male" },
  { id: "kr_002", name: "Korean - Male 1" },
  { id: "kr_003", name: "Korean - Female" },
  { id: "kr_004", name: "Korean - Male 2" },
  // Singing
  { id: "en_female_f08_salut_damour", name: "Alto" },
  { id: "en_male_m03_lobby", name: "Tenor" },
  { id: "en_female_f08_warmy_breeze", name: "Warmy Breeze" },
  { id: "en_male_m03_sunshine_soon", name: "Sunshine Soon" },
  // Other
  { id: "en_male_narration", name: "Narrator" },
  { id: "en_male_funny", name: "Wacky" },
  { id: "en_female_emotional", name: "Peaceful" },
];
