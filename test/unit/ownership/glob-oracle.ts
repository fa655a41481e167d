// An independent, deliberately naive reading of gitignore/CODEOWNERS patterns, used as the
// property tests' oracle: it walks segments and characters recursively and shares no code with src.

function charsMatch(glob: string, text: string): boolean {
  if (glob === "") return text === "";
  const [g, rest] = [glob[0], glob.slice(1)];
  if (g === "*") {
    for (let i = 0; i <= text.length; i++) if (charsMatch(rest, text.slice(i))) return true;
    return false;
  }
  if (text === "") return false;
  return (g === "?" || g === text[0]) && charsMatch(rest, text.slice(1));
}

function segmentsMatch(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === "**") {
    if (rest.length === 0) return path.length >= 1;
    for (let i = 0; i <= path.length; i++) if (segmentsMatch(rest, path.slice(i))) return true;
    return false;
  }
  return path.length > 0 && charsMatch(head, path[0] as string) && segmentsMatch(rest, path.slice(1));
}

/** Whether an escape-free pattern owns `path`, by brute force over every directory prefix. */
export function oracleOwns(pattern: string, path: string): boolean {
  const directoryOnly = pattern.endsWith("/");
  const trimmed = directoryOnly ? pattern.slice(0, -1) : pattern;
  const anchored = trimmed.startsWith("/") || trimmed.includes("/");
  let segs = trimmed.split("/").filter((s) => s !== "");
  if (!anchored) segs = ["**", ...segs];
  segs = segs.filter((s, i) => !(s === "**" && segs[i - 1] === "**"));
  if (directoryOnly && segs.length > 1 && segs[segs.length - 1] === "**") segs = segs.slice(0, -1);
  const last = segs[segs.length - 1];
  const childrenOnly = !directoryOnly && last !== undefined && /^\*+$/.test(last) && last !== "**";
  const parts = path.split("/");
  for (let k = 1; k <= parts.length; k++) {
    if (directoryOnly && k === parts.length) continue;
    if (childrenOnly && k < parts.length) continue;
    if (segmentsMatch(segs, parts.slice(0, k))) return true;
  }
  return false;
}
