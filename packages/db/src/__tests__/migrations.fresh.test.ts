import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "../migrate.ts";

describe("generated migrations", () => {
  it("match the schema: drizzle-kit generate finds nothing new", () => {
    const pkg = join(import.meta.dirname, "..", "..");
    const tmp = mkdtempSync(join(tmpdir(), "mp-drizzle-"));
    cpSync(migrationsFolder, join(tmp, "drizzle"), { recursive: true });
    const config = join(tmp, "drizzle.config.ts");
    writeFileSync(
      config,
      // drizzle-kit resolves both paths relative to its working directory
      `export default { dialect: "postgresql", schema: ${JSON.stringify(relative(tmp, join(pkg, "src/schema/index.ts")))}, out: "./drizzle" };`,
    );
    const before = readdirSync(join(tmp, "drizzle")).sort();
    const out = execFileSync(join(pkg, "..", "..", "node_modules", ".bin", "drizzle-kit"), ["generate", "--config", config], {
      cwd: tmp,
      encoding: "utf8",
    });
    const after = readdirSync(join(tmp, "drizzle")).sort();
    expect(out).toMatch(/No schema changes/);
    expect(after, `schema changed without a migration; run npm run db:generate\n${out}`).toEqual(before);
  });
});
