import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/**
 * A private PostgreSQL cluster for tests that must stop, start or restart the server — which the
 * shared server other tests use must never be. It lives in a temp directory, listens on
 * 127.0.0.1 at a free port (its unix socket stays in the temp directory), trusts every local
 * connection as user `postgres`, and is destroyed (immediate stop, directory removed) by
 * destroy() or, failing that, when the test process exits.
 *
 * initdb and postgres refuse to run as root: as root, every binary runs as the `postgres` OS
 * user through runuser, in a directory chowned to it.
 */

export interface ClusterTools {
  /** directory with initdb, pg_ctl and postgres */
  bin: string;
  /** set when we are root: the binaries run as this user */
  runAs?: { user: string; uid: number; gid: number; runuser: string };
}

export type ClusterToolsCheck = { ok: true; tools: ClusterTools } | { ok: false; reason: string };

const BINARIES = ["initdb", "pg_ctl", "postgres"];

function newestBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => BINARIES.every((b) => existsSync(join(root, v, "bin", b))))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] && join(root, versions[0], "bin");
}

function findOnPath(name: string, extra: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":"), ...extra].filter(Boolean);
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

/**
 * Whether this machine can run a private cluster, checked synchronously so a test file can
 * `describe.skipIf` on it: the binaries exist and actually run (as `postgres` when we are root).
 */
export function privateClusterTools(bin = newestBinDir()): ClusterToolsCheck {
  if (!bin) return { ok: false, reason: "no PostgreSQL server binaries (initdb, pg_ctl, postgres) under /usr/lib/postgresql/*/bin" };
  let runAs: ClusterTools["runAs"];
  if (process.getuid?.() === 0) {
    const runuser = findOnPath("runuser", ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
    if (!runuser) return { ok: false, reason: "running as root, and initdb refuses root, but there is no runuser to run it as postgres" };
    const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    const uid = id("-u");
    const gid = id("-g");
    if (uid.status !== 0 || gid.status !== 0) return { ok: false, reason: "running as root, and initdb refuses root, but there is no `postgres` OS user" };
    runAs = { user: "postgres", uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), runuser };
  }
  const tools: ClusterTools = { bin, runAs };
  const probe = spawnSync(...command(tools, "initdb", ["--version"]), { encoding: "utf8", cwd: "/", timeout: 10_000 });
  if (probe.status !== 0) {
    const how = runAs ? `\`${runAs.runuser} -u postgres -- ${join(bin, "initdb")} --version\`` : `${join(bin, "initdb")} --version`;
    return { ok: false, reason: `${how} failed: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}` };
  }
  return { ok: true, tools };
}

function command(tools: ClusterTools, binary: string, args: string[]): [string, string[]] {
  const path = join(tools.bin, binary);
  return tools.runAs ? [tools.runAs.runuser, ["-u", tools.runAs.user, "--", path, ...args]] : [path, args];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  /** the temp directory: data/ (the cluster), server.log, the unix socket */
  readonly dir: string;
  /** the postmaster's pid while it runs */
  pid(): number | undefined;
  start(): Promise<void>;
  /** pg_ctl stop -m <mode> (default fast: sessions are terminated, a shutdown checkpoint is written) */
  stop(mode?: "smart" | "fast" | "immediate"): Promise<void>;
  /** stop (fast), then start */
  restart(): Promise<void>;
  /** immediate stop (by pid if pg_ctl cannot), then remove the directory; safe to call twice */
  destroy(): Promise<void>;
  /** the end of the server log, for failure messages */
  logTail(chars?: number): string;
}

/** initdb a fresh cluster in a new temp directory and start it. */
export async function startPrivateCluster(tools: ClusterTools): Promise<PrivateCluster> {
  const dir = mkdtempSync("/tmp/mp-pg-");
  const data = join(dir, "data");
  const logFile = join(dir, "server.log");
  if (tools.runAs) chownSync(dir, tools.runAs.uid, tools.runAs.gid);

  const run = (binary: string, args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const [cmd, argv] = command(tools, binary, args);
      // cwd: a directory the postgres user can enter (the test's may not be)
      const child = spawn(cmd, argv, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      child.once("error", reject);
      child.once("close", (code) =>
        code === 0 ? resolve(out) : reject(new Error(`${binary} ${args.join(" ")} exited with ${code}: ${out.trim()}`)),
      );
    });

  const pid = () => {
    try {
      const n = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      if (!Number.isInteger(n) || n <= 0) return undefined;
      // a stale pid file may name a pid reused by an unrelated process: only ours runs with -D <data>
      const cmdline = readFileSync(`/proc/${n}/cmdline`, "utf8");
      return cmdline.includes(data) ? n : undefined;
    } catch {
      return undefined;
    }
  };
  const logTail = (chars = 3000) => {
    try {
      return readFileSync(logFile, "utf8").slice(-chars);
    } catch {
      return "";
    }
  };

  let destroyed = false;
  /** last resort, also on process exit: SIGQUIT is Postgres's immediate shutdown; only our postmaster's pid */
  const killSync = () => {
    const p = pid();
    if (p) {
      try {
        process.kill(p, "SIGQUIT");
      } catch {
        /* already gone */
      }
    }
  };
  const killAndWait = async () => {
    const p = pid();
    if (!p) return;
    killSync();
    for (let i = 0; i < 50 && pid() === p; i++) await new Promise((r) => setTimeout(r, 100));
    if (pid() === p) process.kill(p, "SIGKILL");
  };
  const onExit = () => {
    if (destroyed) return;
    killSync();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  const start = async () => {
    await run("pg_ctl", ["start", "-D", data, "-l", logFile, "-w", "-t", "60"]);
  };
  const stop = async (mode: "smart" | "fast" | "immediate" = "fast") => {
    await run("pg_ctl", ["stop", "-D", data, "-m", mode, "-w", "-t", "60"]);
  };

  let port = 0;
  try {
    await run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const settings = [
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      "max_connections = 50",
      "shared_buffers = 16MB",
      "logging_collector = off",
    ];
    appendFileSync(join(data, "postgresql.conf"), `\n# private test cluster\n${settings.join("\n")}\n`);
    // the free port may be taken between asking and binding: try another
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      appendFileSync(join(data, "postgresql.conf"), `port = ${port}\n`);
      try {
        await start();
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|already in use/i.test(logTail())) throw err;
      }
    }
  } catch (err) {
    await killAndWait();
    destroyed = true;
    process.removeListener("exit", onExit);
    const log = logTail();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`private PostgreSQL cluster did not start: ${(err as Error).message}${log ? `\nserver log:\n${log}` : ""}`, { cause: err });
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    pid,
    start,
    stop,
    async restart() {
      await stop("fast");
      await start();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      process.removeListener("exit", onExit);
      try {
        if (pid()) await stop("immediate").catch(killAndWait);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    logTail,
  };
}
