// The git helper process: a small node process that runs each git request it is sent with execFile (no
// shell) and sends the result back. Forking it is cheap because it is small; forking guild's own process
// copies the page tables of its whole heap and blocks its event loop while it does.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";

interface Request {
  id: number;
  usage?: boolean;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  input: string | Uint8Array;
}

const send = (message: unknown) => process.send?.(message);

// CPU of the git processes that ended, from /proc (Linux): utime + stime of waited-for children, in ticks.
function childCpuMs(): number {
  try {
    const fields = (readFileSync("/proc/self/stat", "utf8").split(") ")[1] ?? "").split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

process.on("disconnect", () => process.exit(0));
process.on("message", (m: Request) => {
  if (m.usage) {
    const used = process.cpuUsage();
    send({ id: m.id, usage: { cpuMs: (used.user + used.system) / 1000, childCpuMs: childCpuMs() } });
    return;
  }
  try {
    const child = execFile(
      m.file,
      m.args,
      { cwd: m.cwd, env: m.env, encoding: "buffer", maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 128) : 0;
        send({ id: m.id, code, stdout, stderr: stderr.toString("utf8") });
      },
    );
    child.stdin?.on("error", () => {});
    child.stdin?.end(m.input);
  } catch (error) {
    send({ id: m.id, code: 128, stdout: Buffer.alloc(0), stderr: String(error) });
  }
});
