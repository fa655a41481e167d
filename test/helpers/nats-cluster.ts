import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { NatsServerProcess } from "../../src/bus/nats-launcher.js";

/** One node of a loopback cluster: its name, ports and process, which a test may kill, stop and restart. */
export interface ClusterNode {
  readonly name: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly url: string;
  readonly server: NatsServerProcess;
  /** The node's process id, while it runs. */
  pid(): number | undefined;
}

/** A three-node JetStream cluster on loopback; dispose kills every node and removes the stores. */
export interface NatsCluster {
  readonly nodes: ClusterNode[];
  /** All nodes, comma-separated, as NATS_URL names a cluster. */
  readonly url: string;
  node(name: string): ClusterNode;
  /** Resolves once every running node reports JetStream healthy (`/healthz`), within `timeoutMs`. */
  healthy(timeoutMs?: number): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether the node's monitoring endpoint says its JetStream is current (meta leader known, streams caught up). */
async function isHealthy(monitorPort: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${monitorPort}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts three nats-servers with JetStream (file store) that route to each other on
 * loopback, each including `authConfig` (the authorization block `guild creds init` writes) when given.
 * The node configs are written into `dir`, beside a copy of the authorization block they include.
 */
export async function startNatsCluster(
  dir: string,
  options: { authConfig?: string } = {},
): Promise<NatsCluster> {
  mkdirSync(dir, { recursive: true });
  const names = ["n1", "n2", "n3"];
  const ports = await Promise.all(
    names.map(async () => ({ client: await freePort(), route: await freePort(), monitor: await freePort() })),
  );
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.route}`).join(", ");
  const nodes: ClusterNode[] = [];
  // nats-server resolves an include relative to the including file: the block sits beside the node configs.
  if (options.authConfig) copyFileSync(options.authConfig, join(dir, "auth.conf"));
  try {
    for (const [i, name] of names.entries()) {
      const p = ports[i] as (typeof ports)[number];
      const lines = [
        `server_name: ${name}`,
        `http: "127.0.0.1:${p.monitor}"`,
        // nats-server 2.9 (the one CI has) knows no `sync_interval`; docker-compose.yml's 2.12 nodes set it.
        "jetstream: enabled",
        `cluster { name: guild-test, listen: "127.0.0.1:${p.route}", routes: [ ${routes} ] }`,
      ];
      if (options.authConfig) lines.push("include ./auth.conf");
      const configFile = join(dir, `${name}.conf`);
      writeFileSync(configFile, `${lines.join("\n")}\n`);
      const server = await NatsServerProcess.start({
        port: p.client,
        storeDir: join(dir, `${name}-store`),
        configFile,
        startTimeoutMs: 20_000,
      });
      nodes.push({
        name,
        port: p.client,
        monitorPort: p.monitor,
        url: `nats://127.0.0.1:${p.client}`,
        server,
        pid: () => server.pid,
      });
    }
  } catch (e) {
    for (const node of nodes) await node.server.dispose();
    throw e;
  }
  const cluster: NatsCluster = {
    nodes,
    url: nodes.map((n) => n.url).join(","),
    node(name) {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`no node ${name}`);
      return found;
    },
    async healthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const states = await Promise.all(nodes.map((n) => isHealthy(n.monitorPort)));
        if (states.every(Boolean)) return;
        if (Date.now() > deadline) {
          const sick = nodes.filter((_, i) => !states[i]).map((n) => n.name);
          throw new Error(`cluster not healthy in ${timeoutMs} ms: ${sick.join(", ")}`);
        }
        await sleep(200);
      }
    },
    async [Symbol.asyncDispose]() {
      for (const node of nodes) {
        const pid = node.pid();
        // A stopped node must be continued, or SIGKILL's exit is never reaped.
        if (pid) {
          try {
            process.kill(pid, "SIGCONT");
          } catch {}
        }
        await node.server.dispose();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.healthy();
  return cluster;
}
