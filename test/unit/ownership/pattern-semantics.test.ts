import { describe, expect, it } from "vitest";
import { compilePattern, PatternSyntaxError } from "../../../src/ownership/index.js";

// Each row: a pattern, then paths it owns (true) or does not (false). Written from GitHub's CODEOWNERS
// documentation and gitignore(5): anchoring, trailing `/`, `*`, `**`, `?`, escapes, and owning a
// directory's contents.
const table: [pattern: string, paths: Record<string, boolean>][] = [
  ["*", { "a.js": true, "x/y/z.md": true, ".github/CODEOWNERS": true }],
  ["*.js", { "a.js": true, "src/deep/b.js": true, "a.jsx": false, "js/a.ts": false, "x.js/inner.txt": true }],
  ["*.test.ts", { "a.test.ts": true, "src/a.test.ts": true, "a.ts": false, "test.ts": false }],
  ["/docs/", { "docs/a.md": true, "docs/a/b.md": true, docs: false, "src/docs/a.md": false }],
  [
    "docs/",
    { "docs/a.md": true, "src/docs/a.md": true, "src/docs/x/y.md": true, docs: false, "xdocs/a": false },
  ],
  [
    "docs/*",
    { "docs/getting-started.md": true, "docs/build-app/troubleshooting.md": false, "a/docs/x.md": false },
  ],
  ["docs/*.md", { "docs/a.md": true, "docs/a/b.md": false, "other/docs/a.md": false }],
  ["/*", { "README.md": true, "src/a.ts": false }],
  ["/*/", { "README.md": false, "src/a.ts": true, "src/x/y.ts": true }],
  [
    "**/logs",
    { "logs/a": true, "build/logs/a.txt": true, "deeply/nested/logs/x": true, logs: true, "mylogs/a": false },
  ],
  ["apps/**", { "apps/a": true, "apps/a/b/c": true, apps: false, "x/apps/a": false }],
  ["apps/", { "apps/a": true, "x/apps/a": true, apps: false }],
  [
    "/apps/github",
    { "apps/github": true, "apps/github/x.ts": true, "apps/githubx": false, "a/apps/github": false },
  ],
  ["foo", { foo: true, "foo.txt": false, "foo/bar": true, "bar/foo": true, "bar/foo/baz": true }],
  ["/foo", { foo: true, "fool.txt": false, "foo/bar": true, "bar/foo": false }],
  ["foo/bar", { "foo/bar": true, "foo/bart": false, "foo/bar/baz": true, "baz/foo/bar": false }],
  ["foo/bar/", { "foo/bar": false, "foo/bar/baz": true, "baz/foo/bar/qux": false }],
  ["f*", { foo: true, "foo/bar": true, "bar/foo": true, "bar/baz": false, xfoo: false }],
  ["/f*", { foo: true, "foo/bar": true, "bar/foo": false }],
  ["f*/", { foo: false, "foo/bar": true, "bar/foo": false, "bar/foo/baz": true }],
  ["foo/*/baz", { "foo/baz": false, "foo/bar/baz": true, "foo/bar/baz/qux": true, "foo/a/b/baz": false }],
  ["f?o", { foo: true, fo: false, fooo: false, "f/o": false }],
  ["**/foo/bar", { "foo/bar": true, "qux/foo/bar": true, "qux/foo/bar/baz": true, "foo/baz/bar": false }],
  ["**/*bar*", { bar: true, "foo/rebar": true, "foo/barrio": true, "foo/qux/bar": true, "foo/baz": false }],
  ["foo/**/bar", { "foo/bar": true, "foo/q/bar/baz": true, "foo/q/r/bar": true, "qux/foo/bar": false }],
  ["foo/**/", { foo: false, "foo/bar": true, "foo/bar/baz": true }],
  ["foo/**/bar/b*", { "foo/bar": false, "foo/bar/baz": true, "foo/q/bar/baz": true, "foo/q/bar/qux": false }],
  ["a/**/b/**", { "a/b/c": true, "a/x/b/c/d": true, "a/b": false }],
  ["a***b", { ab: true, axyb: true, "a/b": false }],
  ["\\#notes", { "#notes": true, notes: false }],
  [
    "path\\ with\\ spaces/",
    { "path with spaces/a.txt": true, "x/path with spaces/b": true, "path/a": false },
  ],
  ["f\\*o", { "f*o": true, foo: false }],
  ["f\\?o", { "f?o": true, foo: false }],
  ["file.txt", { "file.txt": true, filextxt: false, "a/file.txt": true }],
  ["/a+b(c)/", { "a+b(c)/x": true, "aab(c)/x": false }],
];

describe("CODEOWNERS pattern semantics", () => {
  for (const [pattern, paths] of table) {
    for (const [path, owned] of Object.entries(paths)) {
      it(`${pattern} ${owned ? "owns" : "does not own"} ${path}`, () => {
        expect(compilePattern(pattern).regex.test(path)).toBe(owned);
      });
    }
  }
});

describe("rejected patterns", () => {
  const rejected: [pattern: string, offset: number, mention: RegExp][] = [
    ["!docs/", 0, /negation/],
    ["src/[ab].ts", 4, /character ranges/],
    ["*.[jt]s", 2, /character ranges/],
    ["a//b", 2, /empty path segment/],
    ["/", 0, /names no path/],
    ["dir\\", 3, /dangling/],
  ];
  for (const [pattern, offset, mention] of rejected) {
    it(`rejects ${pattern} at offset ${offset}`, () => {
      const error = (() => {
        try {
          compilePattern(pattern);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(PatternSyntaxError);
      expect((error as PatternSyntaxError).offset).toBe(offset);
      expect((error as PatternSyntaxError).message).toMatch(mention);
    });
  }

  it("accepts escaped brackets and a leading escaped bang as literals", () => {
    expect(compilePattern("\\[x\\].md").regex.test("[x].md")).toBe(true);
    expect(compilePattern("\\!important").regex.test("!important")).toBe(true);
  });
});
