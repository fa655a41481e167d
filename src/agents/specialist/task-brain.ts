import type { Ownership } from "../../ownership/index.js";
import type { RoleConfig } from "../../protocol/index.js";
import { type Brain, createBrain } from "../brains/index.js";
import { BUILTIN_ROLES } from "../roles.js";
import { changeRequestBrain } from "./change-request-brain.js";
import { BUILT_IN_HOST, hostNarrowedRole, refusedError } from "./host-role.js";
import type { Assignment } from "./machine.js";
import type { StageDeps } from "./stage-types.js";

/**
 * The role config and brain a task runs with. What runs comes from this process's host config; the base's
 * guild.yaml (in `ownership`, read from the worktree at `workdir`) only chooses and narrows. A guild.yaml
 * that asks for more than the host allows fails the task, after a `host.refused` event naming each refusal.
 */
export async function taskRoleAndBrain(
  deps: StageDeps,
  ownership: Ownership,
  assignment: Assignment,
  workdir: string,
): Promise<{ roleConfig: RoleConfig; brain: Brain }> {
  const { role } = deps;
  const host = deps.host ?? BUILT_IN_HOST;
  const narrowed = await hostNarrowedRole(host, ownership, role, workdir);
  if (!narrowed.ok) {
    const { taskId } = assignment.task;
    const { attempt, goalId } = assignment;
    const payload = { taskId, attempt, role, hostConfig: host.source, refusals: narrowed.refusals };
    await deps.events.emit("host.refused", payload, goalId);
    throw refusedError(role, host, narrowed.refusals);
  }
  const roleConfig = {
    ...ownership.config.roles[role],
    ...narrowed.role,
    ...deps.roleOverride,
  } as RoleConfig;
  const builtinSkill = (BUILTIN_ROLES as Record<string, { skill: string } | undefined>)[role]?.skill;
  const brainConfig = roleConfig.brain ?? { kind: "offline" as const };
  const brain =
    assignment.task.changeRequest && brainConfig.kind === "offline"
      ? changeRequestBrain
      : createBrain(
          brainConfig.kind === "offline" && !brainConfig.skill && !assignment.task.skill && builtinSkill
            ? { kind: "offline", skill: builtinSkill }
            : brainConfig,
        );
  return { roleConfig, brain };
}
