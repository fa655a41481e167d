import { type ErrorDetails, parseErrorDetails } from "./error-details.js";

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

/** What a GuildError of code `C` is built with; `details` is required where its code's schema has required keys. */
export interface GuildErrorOptions<C extends ErrorCode> {
  cause?: unknown;
  details?: ErrorDetails<C>;
}
/** The codes whose details may be left out. */
export type OptionalDetailsCode = {
  [C in ErrorCode]: Record<never, never> extends ErrorDetails<C> ? C : never;
}[ErrorCode];
type OptionsArg<C extends ErrorCode> =
  Record<never, never> extends ErrorDetails<C>
    ? [options?: GuildErrorOptions<C>]
    : [options: GuildErrorOptions<C> & { details: ErrorDetails<C> }];

/**
 * The one error class that crosses boundaries; rebuilt from JSON it still narrows on `code`, and its
 * `details` are typed by code (the registry in error-details.ts).
 * @example new GuildError("git.conflict", "merge left conflicts", { details: { paths } })
 */
export class GuildError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = "GuildError";
  readonly code: C;
  readonly details: ErrorDetails<C> | undefined;

  constructor(code: C, message: string, ...[options]: OptionsArg<C>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }

  is<K extends ErrorCode>(code: K): this is GuildError<K> {
    return (this.code as ErrorCode) === code;
  }

  toJSON(): GuildErrorJSON {
    const json: GuildErrorJSON = { name: "GuildError", code: this.code, message: this.message };
    if (this.details) json.details = this.details;
    if (this.cause instanceof GuildError) json.cause = this.cause.toJSON();
    else if (this.cause instanceof Error) json.cause = { message: this.cause.message };
    return json;
  }

  /**
   * Rebuilds an error read from the wire. An unknown code becomes `internal`; details that do not fit
   * their code's schema become a `bus.invalid_message` error naming the issues (with the sent error as
   * its cause), so a peer's malformed details are refused, never passed on as typed.
   */
  static fromJSON(json: GuildErrorJSON): GuildError {
    const known = (ERROR_CODES as readonly string[]).includes(json.code);
    const code: ErrorCode = known ? json.code : "internal";
    const cause =
      json.cause && "code" in json.cause ? GuildError.fromJSON(json.cause as GuildErrorJSON) : json.cause;
    const causeOption = cause
      ? { cause: cause instanceof GuildError ? cause : new Error(cause.message) }
      : {};
    if (json.details === undefined || !known) return anyGuildError(code, json.message, causeOption);
    const parsed = parseErrorDetails(code, json.details);
    if (parsed.ok) return anyGuildError(code, json.message, { ...causeOption, details: parsed.details });
    const sent = anyGuildError(code, json.message, causeOption);
    const where = parsed.issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    return new GuildError("bus.invalid_message", `a ${code} error arrived with invalid details: ${where}`, {
      cause: sent,
      details: { issues: parsed.issues },
    });
  }
}

// Builds an error whose code is only known at run time; its details were checked against the registry.
function anyGuildError(code: ErrorCode, message: string, options: GuildErrorOptions<ErrorCode>): GuildError {
  return new (
    GuildError as new (
      code: ErrorCode,
      message: string,
      options: GuildErrorOptions<ErrorCode>,
    ) => GuildError
  )(code, message, options);
}

/**
 * Builds a GuildError with details checked at compile time against its code's schema.
 * @example guildError("git.conflict", { paths }, "the combination leaves conflicts")
 */
export function guildError<C extends ErrorCode>(
  code: C,
  details: ErrorDetails<C>,
  message: string,
  cause?: unknown,
): GuildError<C> {
  return new (GuildError as new (code: C, message: string, options: GuildErrorOptions<C>) => GuildError<C>)(
    code,
    message,
    cause === undefined ? { details } : { details, cause },
  );
}

export function isGuildError<C extends ErrorCode = ErrorCode>(e: unknown, code?: C): e is GuildError<C> {
  return e instanceof GuildError && (code === undefined || e.code === code);
}

/** Turns anything thrown into a GuildError, keeping the original as `cause`. */
export function toGuildError(e: unknown, code: OptionalDetailsCode = "internal"): GuildError {
  if (e instanceof GuildError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return anyGuildError(code, message, { cause: e });
}
