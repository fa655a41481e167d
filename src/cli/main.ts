import { Command } from "commander";
import { isGuildError } from "../protocol/index.js";
import { registerCancelCommand } from "./commands/cancel.js";
import { registerGcCommand } from "./commands/gc.js";
import { registerGoalCommand } from "./commands/goal.js";
import { registerOwnersCommand } from "./commands/owners.js";
import { registerPlanCommand } from "./commands/plan.js";
import { registerProcessCommands } from "./commands/processes.js";
import { registerReviewCommands } from "./commands/review.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerUpCommand } from "./commands/up.js";
import { registerWatchCommand } from "./commands/watch.js";

const program = new Command()
  .name("guild")
  .description("a team of specialist coding agents working on one repository in parallel")
  .version("0.1.0");
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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`guild: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = isGuildError(error, "config.invalid") || isGuildError(error, "ownership.parse") ? 2 : 1;
}
