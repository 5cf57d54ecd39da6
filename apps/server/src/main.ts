import { createDatabase, DataDirLockedError } from "@moneyprinter/db";
import { buildServer } from "./app.ts";
import { parseServerEnv } from "./env.ts";

async function main() {
  const env = parseServerEnv();
  const database = await createDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
  const app = await buildServer({ env, database });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      app.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    app.log.info(`${signal}: shutting down`);
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await app.listen({ port: env.PORT, host: env.HOST });
  app.log.info(
    { database: database.kind, dataDir: database.kind === "pglite" ? env.DATA_DIR : undefined },
    `MoneyPrinter API on http://${env.HOST}:${env.PORT} (docs: /api/docs)`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError || (err instanceof Error && err.message.startsWith("Invalid setting"))) {
    console.error(err.message);
  } else {
    console.error("MoneyPrinter failed to start:", err);
  }
  process.exit(1);
});
