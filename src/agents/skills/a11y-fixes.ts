/** An attribute a frontend fix adds to one element. */
export interface AttributeFix {
  rule: "img-alt" | "button-type" | "input-label" | "iframe-title";
  attribute: string;
  value: string;
  message: string;
}

/** Attributes of one element, by lower-case name. */
export type Attributes = ReadonlyMap<string, string | undefined>;

/** Elements whose accessible name is one attribute, named after their source when it is missing. */
const NAMED_BY: Partial<Record<string, { rule: AttributeFix["rule"]; attribute: string; fallback: string }>> =
  {
    img: { rule: "img-alt", attribute: "alt", fallback: "Image" },
    iframe: { rule: "iframe-title", attribute: "title", fallback: "Embedded content" },
  };

const UNLABELLED_INPUT_TYPES = new Set(["hidden", "submit", "button", "reset", "image"]);

/** Turns `user-name`, `emailFilter`, `/img/site_logo.png` into `User name`, `Email filter`, `Site logo`. */
export function humanize(text: string): string {
  const base = text.replace(/^.*\//, "").replace(/\.[a-z0-9]+$/i, "");
  const words = base
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const sentence = words.join(" ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/**
 * The accessibility fixes one element needs, given its tag, attributes and surroundings.
 * @param labelled - whether a `<label>` wraps it or points at its id
 */
export function a11yFixes(
  tag: string,
  attrs: Attributes,
  inForm: boolean,
  labelled: boolean,
): AttributeFix[] {
  const name = tag.toLowerCase();
  const named = attrs.has("aria-label") || attrs.has("aria-labelledby");
  // An image is announced by its alt, a frame by its title; without one a screen reader reads out the URL or
  // nothing. Both are named after their source, to be checked by a person.
  const nameFrom = NAMED_BY[name];
  if (nameFrom && !named && !attrs.has(nameFrom.attribute)) {
    const value = humanize(attrs.get("src") ?? "") || nameFrom.fallback;
    return [
      {
        rule: nameFrom.rule,
        attribute: nameFrom.attribute,
        value,
        message: `${name} without ${nameFrom.attribute}; added ${nameFrom.attribute}="${value}" (check the wording)`,
      },
    ];
  }
  if (name === "button" && !attrs.has("type")) {
    // A button in a form submits by default; keep that behaviour but say it out loud.
    const value = inForm ? "submit" : "button";
    return [
      {
        rule: "button-type",
        attribute: "type",
        value,
        message: `button without type; added type="${value}"`,
      },
    ];
  }
  const isField = name === "input" || name === "select" || name === "textarea";
  if (isField && !UNLABELLED_INPUT_TYPES.has((attrs.get("type") ?? "").toLowerCase()) && !labelled) {
    if (attrs.has("aria-label") || attrs.has("aria-labelledby") || attrs.has("title")) return [];
    // A placeholder is often an example value ("2+3*4", "you@example.com"), which makes a poor label.
    const placeholder = attrs.get("placeholder") ?? "";
    const wordy = /^[A-Za-z][A-Za-z\s'-]*$/.test(placeholder.trim()) ? placeholder.trim() : "";
    const source = wordy || attrs.get("name") || attrs.get("id") || "";
    const value = humanize(source) || "Input";
    return [
      {
        rule: "input-label",
        attribute: "aria-label",
        value,
        message: `${name} without a label; added aria-label="${value}"`,
      },
    ];
  }
  return [];
}
