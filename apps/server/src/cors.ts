/** Local origins on any port by default: the original page runs on :3000 and calls the API on :8080. */
const LOCAL = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export function corsOrigin(setting: string | undefined): (origin: string | undefined) => boolean {
  if (setting === undefined || setting.trim() === "") return (origin) => !origin || LOCAL.test(origin);
  const list = setting.split(",").map((s) => s.trim().replace(/\/$/, "")).filter(Boolean);
  if (list.includes("*")) return () => true;
  return (origin) => !origin || list.includes(origin);
}
