/** The closed set of error codes that may cross a boundary (bus, CLI, HTTP). */
export const ERROR_CODES = [
  "bus.timeout",
  "bus.no_responders",
  "bus.closed",
  "bus.invalid_message",
  "bus.unavailable",
  "bus.unauthorized",
  "kv.conflict",
  "kv.not_found",
  "blob.not_found",
  "config.invalid",
  "ownership.parse",
  "ownership.denied",
  "sandbox.denied",
  "git.failed",
  "git.bundle_rejected",
  "git.conflict",
  "brain.failed",
  "budget.exceeded",
  "plan.invalid",
  "goal.not_found",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface GuildErrorJSON {
  name: "GuildError";
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  cause?: GuildErrorJSON | { message: string };
}

/** The one error class that crosses boundaries; rebuilt from JSON it still narrows on `code`. */
export class GuildError extends Error {
  override readonly name = "GuildError";
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }

  is(code: ErrorCode): boolean {
    return this.code === code;
  }

  toJSON(): GuildErrorJSON {
    const json: GuildErrorJSON = { name: "GuildError", code: this.code, message: this.message };
    if (this.details) json.details = this.details;
    if (this.cause instanceof GuildError) json.cause = this.cause.toJSON();
    else if (this.cause instanceof Error) json.cause = { message: this.cause.message };
    return json;
  }

  static fromJSON(json: GuildErrorJSON): GuildError {
    const code = (ERROR_CODES as readonly string[]).includes(json.code) ? json.code : "internal";
    const cause =
      json.cause && "code" in json.cause ? GuildError.fromJSON(json.cause as GuildErrorJSON) : json.cause;
    return new GuildError(code, json.message, {
      ...(cause ? { cause: cause instanceof GuildError ? cause : new Error(cause.message) } : {}),
      ...(json.details ? { details: json.details } : {}),
    });
  }
}

export function isGuildError(e: unknown, code?: ErrorCode): e is GuildError {
  return e instanceof GuildError && (code === undefined || e.code === code);
}

/** Turns anything thrown into a GuildError, keeping the original as `cause`. */
export function toGuildError(e: unknown, code: ErrorCode = "internal"): GuildError {
  if (e instanceof GuildError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new GuildError(code, message, { cause: e });
}
