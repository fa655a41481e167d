import { describe, expect, it } from "vitest";
import { humanize } from "../../../../src/agents/skills/a11y-fixes.js";
import { runSkill } from "../../../../src/agents/skills/index.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

async function frontend(files: Record<string, string>) {
  using dir = tempDir();
  writeFiles(dir.path, files);
  return await runSkill("frontend", dir.path);
}

describe("frontend skill", () => {
  it("fixes HTML: alt from the file name, button type by context, aria-label for unlabelled fields", async () => {
    const html = [
      "<main>",
      '  <img src="/img/team_photo.jpg">',
      '  <img src="/x.png" alt="">',
      "  <form>",
      '    <input name="emailAddress">',
      '    <label>Name <input name="name"></label>',
      '    <label for="age">Age</label><input id="age">',
      '    <input type="hidden" name="csrf">',
      "    <button>Send</button>",
      "  </form>",
      '  <button onclick="go()">Go</button>',
      '  <button type="reset">Reset</button>',
      "  <!-- <img src=commented.png> -->",
      '  <textarea placeholder="Tell us more"></textarea>',
      "</main>",
      "",
    ].join("\n");
    const report = await frontend({ "public/index.html": html });
    expect(report.findings.map((f) => `${f.line}:${f.rule}`)).toEqual([
      "2:img-alt",
      "5:input-label",
      "9:button-type",
      "11:button-type",
      "14:input-label",
    ]);
    const out = report.changes[0]?.content ?? "";
    expect(out).toContain('<img alt="Team photo" src="/img/team_photo.jpg">');
    expect(out).toContain('<input aria-label="Email address" name="emailAddress">');
    expect(out).toContain('<button type="submit">Send</button>');
    expect(out).toContain('<button type="button" onclick="go()">Go</button>');
    expect(out).toContain('<textarea aria-label="Tell us more" placeholder="Tell us more">');
    expect(out).toContain("<!-- <img src=commented.png> -->");
  });

  it("fixes TSX elements, leaving components and spread props alone", async () => {
    const tsx = [
      "export function Card(props: { src: string }) {",
      "  return (",
      "    <div>",
      "      <img src={props.src} />",
      "      <img {...props} />",
      "      <Avatar src={props.src} />",
      '      <input placeholder="Search users" />',
      "      <button onClick={() => 1}>More</button>",
      "    </div>",
      "  );",
      "}",
      "",
    ].join("\n");
    const report = await frontend({ "src/ui/card.tsx": tsx });
    expect(report.findings.map((f) => `${f.line}:${f.rule}`)).toEqual([
      "4:img-alt",
      "7:input-label",
      "8:button-type",
    ]);
    const out = report.changes[0]?.content ?? "";
    expect(out).toContain('<img alt="Image" src={props.src} />');
    expect(out).toContain('<input aria-label="Search users" placeholder="Search users" />');
    expect(out).toContain('<button type="button" onClick={() => 1}>More</button>');
    expect(out).toContain("<img {...props} />");
  });

  it("reports when there is nothing to look at, and changes nothing on a clean page", async () => {
    expect((await frontend({ "src/a.ts": "export {};\n" })).skipped).toEqual([
      { reason: "no .html or .tsx files in scope" },
    ]);
    const clean = await frontend({
      "index.html": '<img src="a.png" alt="A"><button type="button">x</button>\n',
    });
    expect(clean.findings).toEqual([]);
    expect(clean.changes).toEqual([]);
  });

  it("titles iframes from their source, in HTML and TSX, and leaves titled ones alone", async () => {
    const report = await frontend({
      "page.html":
        '<iframe src="/legal/terms_of_use.html"></iframe>\n<iframe title="Map" src="/map"></iframe>\n',
      "src/frame.tsx": "export const F = () => <iframe src={url} />;\n",
    });
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.rule}`)).toEqual([
      "page.html:1:iframe-title",
      "src/frame.tsx:1:iframe-title",
    ]);
    const content = (path: string) => report.changes.find((c) => c.path === path)?.content;
    expect(content("page.html")).toBe(
      '<iframe title="Terms of use" src="/legal/terms_of_use.html"></iframe>\n<iframe title="Map" src="/map"></iframe>\n',
    );
    expect(content("src/frame.tsx")).toBe(
      'export const F = () => <iframe title="Embedded content" src={url} />;\n',
    );
  });

  it("humanizes names for labels", () => {
    expect(humanize("user-name")).toBe("User name");
    expect(humanize("/assets/siteLogo.svg")).toBe("Site logo");
  });
});
