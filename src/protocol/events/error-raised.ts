import { z } from "zod";
import { parseErrorDetails } from "../error-details.js";
import { ERROR_CODES } from "../errors.js";

/**
 * The payload of `error.raised`: a code of the closed set, what happened and where, and the error's
 * details, which must fit its code's schema (a peer's malformed details are a rejected message).
 */
export const ErrorRaised = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    context: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.details === undefined) return;
    const parsed = parseErrorDetails(value.code, value.details);
    if (parsed.ok) return;
    for (const issue of parsed.issues) {
      ctx.addIssue({
        code: "custom",
        path: ["details", ...issue.path.split(".").filter(Boolean)],
        message: issue.message,
      });
    }
  });
