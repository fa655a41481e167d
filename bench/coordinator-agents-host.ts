import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** The agents' process as the bench sees it: started, then stopped with its CPU figures read back. */
export interface AgentsHost {
  stop(): Promise<{ cpuMs: number; childCpuMs: number }>;
}

/** Starts `bench/coordinator-agents.ts` in a child node process and waits until its agents listen. */
export async function startAgentsHost(env: {
  natsUrl: string;
  roles: readonly string[];
  replicas: number;
  /** The agents' own home, for mirrors of the repository (agents on another machine); default none. */
  home?: string;
}): Promise<AgentsHost> {
  // BENCH_AGENTS_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the agents' process.
  const nodeArgs = (process.env.BENCH_AGENTS_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", join(HERE, "coordinator-agents.ts")],
    {
      cwd: join(HERE, ".."),
      env: {
        ...process.env,
        NATS_URL: env.natsUrl,
        BENCH_ROLES: env.roles.join(","),
        BENCH_REPLICAS: String(env.replicas),
        ...(env.home ? { BENCH_AGENT_HOME: env.home } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agents did not start:\n${output}`)), 60_000);
    const check = () => {
      if (/^ready$/m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    void exited.then(() => reject(new Error(`the agents exited:\n${output}`)));
  });
  return {
    async stop() {
      child.kill("SIGTERM");
      await exited;
      const line = output.split("\n").find((l) => l.startsWith("{"));
      if (!line) throw new Error(`the agents reported no CPU figures:\n${output.slice(-2000)}`);
      return JSON.parse(line) as { cpuMs: number; childCpuMs: number };
    },
  };
}
