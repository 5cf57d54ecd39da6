// The bench's baseline: bare node:http + postgres.js answering GET /api/jobs/:id with one row,
// the least any implementation of this route must do. Run by api.ts as a child process.
import { createServer } from "node:http";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL!, { max: 10 });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const server = createServer(async (req, res) => {
  const m = /^\/api\/jobs\/([0-9a-f-]{36})$/.exec(req.url ?? "");
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  const [row] = await sql`select id, state, cancel_requested, result_path, error_message, created_at, started_at, completed_at from generation_jobs where id = ${m[1]!}`;
  if (!row) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"status":"error","message":"Job not found."}');
    return;
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      status: "success",
      job: {
        id: row.id,
        state: row.state,
        cancelRequested: row.cancel_requested,
        resultPath: row.result_path,
        errorMessage: row.error_message,
        createdAt: iso(row.created_at),
        startedAt: iso(row.started_at),
        completedAt: iso(row.completed_at),
      },
    }),
  );
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => {
  server.close();
  void sql.end().then(() => process.exit(0));
});
