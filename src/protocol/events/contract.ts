import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";

/** A task whose work depends on a declared contract: told when its provider breaks it. */
export const ContractParty = z.object({ taskId: Token, role: Token });
export type ContractParty = z.infer<typeof ContractParty>;

/** A provider's exported surface differs from what its task declared it provides. */
export const ContractBroken = z.object({
  contractId: z.string().max(300),
  provider: ContractParty.extend({ agentId: Token.optional() }),
  /** The tasks that depend on the provider (they may have started against the declaration). */
  dependents: z.array(ContractParty).max(100),
  path: z.string().max(1000),
  symbol: z.string().max(200),
  /** The declared export, as one line (`exports … from …`). */
  declared: z.string().max(1500),
  /** `changed`: exported with another signature; `removed`: the provider removed it; `missing`: its proposal does not export it. */
  change: z.enum(["changed", "removed", "missing"]),
  /** The signature the provider exports instead (for `changed`). */
  actual: z.string().max(400).optional(),
});
export type ContractBroken = z.infer<typeof ContractBroken>;

export const contractEvents = defineEvents({
  "contract.broken": ContractBroken,
});
