import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { decide, pendingDecisions, tellAgent } from "../client/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

/** `guild review`: every decision waiting for a person, with its diff. */
export async function runReview(
  bus: Bus,
  options: { goal?: string; json?: boolean },
  output: Output,
): Promise<number> {
  const pending = await pendingDecisions(bus, options.goal);
  if (options.json) {
    output.out(JSON.stringify(pending));
    return 0;
  }
  if (pending.length === 0) output.out("nothing waits for a decision");
  for (const d of pending) {
    output.out(`${d.id}  ${d.kind}  tasks ${d.taskIds.join(", ")}  paths ${d.paths.join(", ")}`);
    output.out(`  ${d.reason}`);
    output.out(
      d.kind === "conflict"
        ? `  guild approve ${d.id} --winner <${d.taskIds.join("|")}>   or   guild reject ${d.id} --reason "…"`
        : `  guild approve ${d.id}   or   guild reject ${d.id} --reason "…"`,
    );
    for (const line of d.diff.split("\n")) output.out(`    ${line}`);
  }
  return 0;
}

/** Sends a person's answer to the goal a decision id (`<goal>:<n>`) belongs to; exit 1 when it is refused. */
export async function runDecide(
  bus: Bus,
  decisionId: string,
  answer: { approve: true; winner?: string } | { approve: false; reason: string },
  output: Output,
): Promise<number> {
  const reply = await decide(bus, decisionId, answer);
  (reply.ok ? output.out : output.err)(reply.message);
  return reply.ok ? 0 : 1;
}

/** `guild tell <agent> "<text>"`: more context for a working agent, delivered to its inbox. */
export async function runTell(bus: Bus, agentId: string, text: string, output: Output): Promise<number> {
  await tellAgent(bus, agentId, text);
  output.out(`told ${agentId}`);
  return 0;
}

async function withBus(fn: (bus: Bus) => Promise<number>): Promise<void> {
  const connection = await connectBus({});
  try {
    process.exitCode = await fn(connection.bus);
  } finally {
    await connection.close();
  }
}

export function registerReviewCommands(program: Command): void {
  program
    .command("review")
    .description("decisions waiting for a person (protected paths, conflicts), with their diffs")
    .option("--goal <id>", "only this goal")
    .option("--json", "as JSON")
    .action((opts: { goal?: string; json?: boolean }) =>
      withBus((bus) => runReview(bus, opts, processOutput)),
    );
  program
    .command("approve <decision>")
    .description("approve a pending decision (a conflict needs --winner)")
    .option("--winner <task>", "for a conflict: the task whose change is kept")
    .action((id: string, opts: { winner?: string }) =>
      withBus((bus) =>
        runDecide(bus, id, { approve: true, ...(opts.winner ? { winner: opts.winner } : {}) }, processOutput),
      ),
    );
  program
    .command("reject <decision>")
    .description("reject a pending decision")
    .requiredOption("--reason <text>", "why")
    .action((id: string, opts: { reason: string }) =>
      withBus((bus) => runDecide(bus, id, { approve: false, reason: opts.reason }, processOutput)),
    );
  program
    .command("tell <agent> <text>")
    .description("give a working agent more context")
    .action((agent: string, text: string) => withBus((bus) => runTell(bus, agent, text, processOutput)));
}
