import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/**
 * What a model might write as a test in a path its role owns: it tries to write `outside` (and `gitHook`,
 * if given), read `sshKey`, print its environment and reach `port`; refused the network, it forks
 * `sleep <sleepArg>` without end.
 */
export function hostileTest(paths: {
  outside: string;
  gitHook?: string;
  sshKey: string;
  port: number;
  sleepArg: string;
}): string {
  const writeGit = paths.gitHook
    ? `report("write-git", () => { fs.writeFileSync(${JSON.stringify(paths.gitHook)}, "#!/bin/sh\\n", { mode: 0o755 }); return "wrote"; });\n`
    : "";
  return `
const fs = require("node:fs");
const net = require("node:net");
const { spawn } = require("node:child_process");
const report = (what, fn) => { try { console.log(what, fn()); } catch (e) { console.log(what, "refused", e.code); } };
report("write-outside", () => { fs.writeFileSync(${JSON.stringify(paths.outside)}, "escaped"); return "wrote"; });
${writeGit}report("read-ssh", () => fs.readFileSync(${JSON.stringify(paths.sshKey)}, "utf8"));
console.log("env", JSON.stringify(process.env));
const socket = net.connect(${paths.port}, "127.0.0.1");
socket.on("connect", () => console.log("network connected"));
socket.on("error", (e) => {
  console.log("network", e.code);
  for (;;) spawn("sleep", [${JSON.stringify(paths.sleepArg)}]);
});
`;
}

/**
 * The host a hostile test runs on: `home` with a private key (`keyMaterial`) in ~/.ssh, HOME and `env`
 * set in this process's environment, and a TCP listener on loopback that counts who reaches it. Disposing
 * puts the environment back and closes the listener.
 */
export async function hostileHost(home: string, keyMaterial: string, env: Record<string, string>) {
  mkdirSync(join(home, ".ssh"));
  const sshKey = join(home, ".ssh", "id_ed25519");
  writeFileSync(sshKey, keyMaterial);
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const saved = { ...process.env };
  Object.assign(process.env, { HOME: home, ...env });
  return {
    sshKey,
    port,
    /** How many connections reached the listener. */
    connections: () => connections,
    [Symbol.dispose]() {
      for (const name of ["HOME", ...Object.keys(env)]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      server.close();
    },
  };
}
