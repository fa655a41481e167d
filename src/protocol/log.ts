import { type Logger, pino } from "pino";

/** Paths whose values are replaced in logs: API keys, tokens, auth headers, wherever they sit. */
export const REDACT_PATHS = [
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers['x-api-key']",
  "*.headers['x-api-key']",
  "env.OPENAI_API_KEY",
  "env.ANTHROPIC_API_KEY",
  "*.env.OPENAI_API_KEY",
  "*.env.ANTHROPIC_API_KEY",
];

const SECRET_PATTERN = /\b(sk-(?:ant-)?[A-Za-z0-9_-]{8,}|nats_[A-Za-z0-9]{8,})\b/g;

/** Masks key-shaped strings (OpenAI/Anthropic keys, tokens) inside free text. */
export function redactText(text: string): string {
  return text.replace(SECRET_PATTERN, "[Redacted]");
}

export interface LoggerOptions {
  name?: string;
  level?: string;
  destination?: NodeJS.WritableStream;
}

/** A pino JSON logger with secrets redacted; `GUILD_LOG_LEVEL` sets the level (default `info`). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = {
    name: options.name ?? "guild",
    level: options.level ?? process.env.GUILD_LOG_LEVEL ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[Redacted]" },
    formatters: {
      log: (obj: Record<string, unknown>) => {
        for (const [k, v] of Object.entries(obj)) if (typeof v === "string") obj[k] = redactText(v);
        return obj;
      },
    },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

export type { Logger };
