import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, dirname, join, sep } from "node:path";
import { GuildError } from "../../protocol/index.js";
import {
  type SandboxedProcess,
  type SandboxPolicy,
  sandboxAvailability,
  sandboxPolicy,
} from "../../sandbox/index.js";
import type { BrainRunContext } from "./brain.js";

/**
 * The sandbox an external agent (Claude Code, Codex) runs in: its role's policy. Refused before it starts
 * where it could not work: no sandbox on this machine, or a sandbox without the network its model's API
 * needs (the agent would only retry until its timeout).
 */
export function externalPolicy(context: BrainRunContext, name: string): SandboxPolicy {
  const policy = context.tools.confinement?.sandbox ?? sandboxPolicy(undefined);
  if (policy.mode === "none") return policy;
  const availability = sandboxAvailability();
  if (!availability.available) {
    throw new GuildError("sandbox.denied", `refused to run ${name}: ${availability.reason}`, {
      details: { kind: "unavailable" },
    });
  }
  if (!policy.network) {
    throw new GuildError(
      "brain.failed",
      `refused to start: role ${context.task.task.role}'s sandbox allows no network, which ${name} needs for its model's API; set sandbox: { network: true } for the role (its files stay confined to the worktree)`,
    );
  }
  return policy;
}

function onPath(program: string, path: string): string | undefined {
  if (program.includes(sep)) return program;
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, program))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * The folder an agent's executable needs to run, to mount back read-only inside the sandbox when it sits
 * under a hidden directory (HOME, /tmp): the outermost `node_modules` it was installed in (codex's launcher loads
 * its platform package from there), else the executable's own folder. Empty when it cannot be found.
 * @example packageRoot("/home/u/guild/node_modules/.bin/codex", PATH) // ["/home/u/guild/node_modules"]
 */
export function packageRoot(executable: string, path: string): string[] {
  const found = onPath(executable, path);
  if (!found) return [];
  let real: string;
  try {
    real = realpathSync(found);
  } catch {
    return [];
  }
  const marker = `${sep}node_modules${sep}`;
  const at = real.indexOf(marker);
  return [at >= 0 ? real.slice(0, at + marker.length - 1) : dirname(real)];
}

/** The environment an SDK hands its spawner, without the names it left undefined. */
export function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

/** Extra wall time the sandbox allows past the brain's own timeout, so the brain's reason is the one given. */
export const SANDBOX_WALL_GRACE_MS = 10_000;

/** The sentence naming the limit (memory, processes) that stopped an agent, once it has ended; waits at most 1 s. */
export async function limitReasonOf(agent: SandboxedProcess | undefined): Promise<string | undefined> {
  if (!agent) return undefined;
  const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref());
  const exit = await Promise.race([agent.exited, timeout]);
  return exit?.reason;
}

/**
 * Kills an agent with everything it started, after `graceMs` for it to exit by itself (so its exit code is
 * its own), and waits (at most 5 s) until it is gone: nothing may still write while the harvest reads.
 */
export async function stopAgent(agent: SandboxedProcess | undefined, graceMs = 0): Promise<void> {
  if (!agent) return;
  const within = (ms: number) => Promise.race([agent.exited, new Promise((r) => setTimeout(r, ms).unref())]);
  if (graceMs > 0) await within(graceMs);
  agent.kill();
  await within(5000);
}
