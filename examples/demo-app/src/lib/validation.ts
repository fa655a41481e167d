/**
 * Whether a string looks like an e-mail address (one `@`, a dot in the domain, no spaces).
 * @param value - the candidate address
 */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/**
 * Whether a host name is safe to pass to a lookup: letters, digits, dots and dashes only.
 * @param host - the host name
 */
export function isHostName(host: string): boolean {
  return host.length > 0 && host.length <= 253 && /^[a-zA-Z0-9.-]+$/.test(host);
}

export function clampInt(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
