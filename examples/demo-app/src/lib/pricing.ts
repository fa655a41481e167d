/** One line of a shopping cart. */
export interface CartLine {
  sku: string;
  unitCents: number;
  quantity: number;
}

/**
 * Sums a cart in cents; lines with a non-positive quantity count as zero.
 * @param lines - the cart's lines
 * @returns the total in cents
 */
export function cartTotal(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.unitCents * Math.max(0, line.quantity), 0);
}

/**
 * Applies a percentage discount, rounding to the nearest cent and never going below zero.
 * @param cents - the amount before the discount
 * @param percent - the discount, 0–100; values outside are clamped
 * @example applyDiscount(1999, 10) // 1799
 */
export function applyDiscount(cents: number, percent: number): number {
  const clamped = Math.min(100, Math.max(0, percent));
  return Math.max(0, Math.round(cents * (1 - clamped / 100)));
}

export function formatPrice(cents: number, currency: string): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${currency} ${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
