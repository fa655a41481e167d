import { z } from "zod";
import { defineEvents } from "./define.js";

/** The coordinator's test command and the OS sandbox it must run in. */
export const verifySandboxEvents = defineEvents({
  /** The test command did not run: no sandbox here and config does not say `sandbox: none`; the goal fails. */
  "verify.refused": z.object({ command: z.array(z.string()), reason: z.string() }),
});
