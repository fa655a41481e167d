/**
 * Turns a title into a URL slug: lower case, ASCII letters and digits, single dashes.
 * @param title - the text to turn into a slug
 * @returns the slug, empty when the title has no letters or digits
 * @example slugify("Hello, World!") // "hello-world"
 */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function truncateWords(text: string, maxWords: number): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length <= maxWords) return words.join(" ");
  return `${words.slice(0, Math.max(0, maxWords)).join(" ")}…`;
}
