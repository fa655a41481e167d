// The bench's agents, in a process of their own as in a real deployment (`guild agent`): the bench process
// then holds only the coordinator, so its CPU time and memory are the coordinator's own.
// Env: NATS_URL, BENCH_ROLES (comma-separated), BENCH_REPLICAS, BENCH_AGENT_HOME (optional). Prints `ready`, runs until SIGTERM, then
// prints one JSON line with this process's CPU time and its git's (children and the git helper).
import { NatsBus } from "../src/bus/index.js";
import { startGuild } from "../src/cli/runtime/start-guild.js";
import { createLogger } from "../src/protocol/index.js";
import { gitCpuMs } from "./cpu.js";
import { runGitAsGuildUp } from "./git-as-guild-up.js";

// As `guild up` runs them: git from the helper process.
runGitAsGuildUp();
const bus = await NatsBus.connect({ url: process.env.NATS_URL ?? "", name: "bench-agents" });
const guild = await startGuild({
  bus,
  logger: createLogger({ level: "silent" }),
  roles: (process.env.BENCH_ROLES ?? "").split(","),
  replicas: Number(process.env.BENCH_REPLICAS ?? "1"),
  coordinator: false,
  // BENCH_AGENT_HOME: the agents keep mirrors there, as agents on another machine do.
  ...(process.env.BENCH_AGENT_HOME ? { home: process.env.BENCH_AGENT_HOME } : {}),
});
const cpu = process.cpuUsage();
const children = await gitCpuMs();
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.once("SIGTERM", () => resolve()));
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, childCpuMs: (await gitCpuMs()) - children })}\n`,
);
await guild.stop();
await bus.close();
process.exit(0);
