import { rejected } from "./bundle-rejection.js";

const SIGNATURE = "# v2 git bundle\n";

/** The header of a v2 git bundle: the commits it assumes and the refs it carries. */
export interface BundleHeader {
  prerequisites: string[];
  refs: { name: string; oid: string }[];
  /** Offset of the pack data after the header. */
  packOffset: number;
}

/** Writes a v2 bundle header; the pack follows it. */
export function bundleHeader(prerequisites: string[], refs: { name: string; oid: string }[]): string {
  const lines = [...prerequisites.map((p) => `-${p}`), ...refs.map((r) => `${r.oid} ${r.name}`)];
  return `${SIGNATURE}${lines.map((l) => `${l}\n`).join("")}\n`;
}

/** Reads a bundle's header without trusting it: anything unexpected is a `malformed_bundle` rejection. */
export function parseBundleHeader(bundle: Uint8Array): BundleHeader {
  const limit = Math.min(bundle.byteLength, 1 << 20);
  const head = Buffer.from(bundle.buffer, bundle.byteOffset, limit).toString("latin1");
  if (!head.startsWith(SIGNATURE)) throw rejected("malformed_bundle", "not a v2 git bundle");
  const end = head.indexOf("\n\n", SIGNATURE.length - 1);
  if (end < 0) throw rejected("malformed_bundle", "bundle header does not end");
  const header: BundleHeader = { prerequisites: [], refs: [], packOffset: end + 2 };
  for (const line of head.slice(SIGNATURE.length, end).split("\n")) {
    if (line === "") continue;
    const pre = /^-([0-9a-f]{40}|[0-9a-f]{64})(?: .*)?$/.exec(line);
    const ref = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+)$/.exec(line);
    if (pre?.[1]) header.prerequisites.push(pre[1]);
    else if (ref?.[1] && ref[2]) header.refs.push({ oid: ref[1], name: ref[2] });
    else
      throw rejected(
        "malformed_bundle",
        `unreadable bundle header line: ${JSON.stringify(line.slice(0, 100))}`,
      );
  }
  return header;
}
