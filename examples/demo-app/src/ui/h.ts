/** Rendered HTML, kept apart from plain strings so that text is escaped and markup is not. */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** What an element may contain. */
export type Child = string | number | boolean | null | undefined | Markup | Child[];

/** Attribute values an element accepts. */
export type Props = Record<string, string | number | boolean | undefined>;

declare global {
  namespace JSX {
    type Element = Markup;
    interface IntrinsicElements {
      [tag: string]: Props;
    }
  }
}

const VOID_TAGS = new Set(["img", "input", "br", "hr", "meta", "link"]);

/**
 * Escapes text for use in HTML content and attribute values.
 * @param text - the raw text
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderChild(child: Child): string {
  if (child === null || child === undefined || child === false || child === true) return "";
  if (child instanceof Markup) return child.html;
  if (Array.isArray(child)) return child.map(renderChild).join("");
  return escapeHtml(String(child));
}

/** The JSX factory of the demo's UI: builds an element as an HTML string. */
export function h(tag: string, props: Props | null, ...children: Child[]): Markup {
  const attrs = Object.entries(props ?? {})
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k === "htmlFor" ? "for" : k}="${escapeHtml(String(v))}"`))
    .join("");
  if (VOID_TAGS.has(tag)) return new Markup(`<${tag}${attrs} />`);
  return new Markup(`<${tag}${attrs}>${children.map(renderChild).join("")}</${tag}>`);
}
