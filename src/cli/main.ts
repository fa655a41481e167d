import { Command } from "commander";
import { isGuildError } from "../protocol/index.js";
import { registerCancelCommand } from "./commands/cancel.js";
import { registerCredsCommand } from "./commands/creds.js";
import { registerDashboardCommand } from "./commands/dashboard.js";
import { registerGcCommand } from "./commands/gc.js";
import { registerGoalCommand } from "./commands/goal.js";
import { registerInitCommand } from "./commands/init.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerOwnersCommand } from "./commands/owners.js";
import { registerPlanCommand } from "./commands/plan.js";
import { registerProcessCommands } from "./commands/processes.js";
import { registerReviewCommands } from "./commands/review.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerUpCommand } from "./commands/up.js";
import { registerWatchCommand } from "./commands/watch.js";
import { exitQuietlyOnBrokenPipe } from "./output.js";

exitQuietlyOnBrokenPipe();
const program = new Command()
  .name("guild")
  .description("a team of specialist coding agents working on one repository in parallel")
  .version("0.1.0")
  .option("--creds <file>", "NATS credentials (nkey seed or .creds) for this process; or NATS_CREDS")
  .hook("preAction", (command) => {
    const creds = command.opts<{ creds?: string }>().creds;
    if (creds) process.env.NATS_CREDS = creds;
  });
registerInitCommand(program);
registerUpCommand(program);
registerGoalCommand(program);
registerCancelCommand(program);
registerGcCommand(program);
registerPlanCommand(program);
registerWatchCommand(program);
registerStatusCommand(program);
registerReviewCommands(program);
registerOwnersCommand(program);
registerProcessCommands(program);
registerServeCommand(program);
registerDashboardCommand(program);
registerCredsCommand(program);
registerMcpCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`guild: ${error instanceof Error ? error.message : String(error)}\n`);
  const usage = ["config.invalid", "ownership.parse", "bus.unauthorized"] as const;
  process.exitCode = usage.some((code) => isGuildError(error, code)) ? 2 : 1;
}
