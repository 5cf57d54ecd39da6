import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is already in use by process ${pid}. ` +
        `PGlite cannot be shared between processes: stop that process, or set DATABASE_URL to a ` +
        `Postgres server so that several processes can share one database.`,
    );
    this.name = "DataDirLockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Exclusive lock on a directory, held for the life of the process: a file created with O_EXCL
 * holding our pid. A lock left by a dead process (kill -9) is taken over.
 * Returns the release function.
 */
export function acquireDirLock(lockPath: string, dir: string): () => void {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        try {
          if (readFileSync(lockPath, "utf8") === String(process.pid)) unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirLockedError(dir, pid);
      // stale: its owner died without cleaning up
      try {
        unlinkSync(lockPath);
      } catch {
        /* someone else removed it first; retry the create */
      }
    }
  }
  throw new Error(`Could not lock ${lockPath}; remove it if no MoneyPrinter process is running.`);
}
