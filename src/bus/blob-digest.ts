import { createHash } from "node:crypto";

/** The object-store digest form NATS uses: `SHA-256=` and padded base64url. */
export function blobDigest(data: Uint8Array): string {
  const b64 = createHash("sha256").update(data).digest("base64");
  return `SHA-256=${b64.replaceAll("+", "-").replaceAll("/", "_")}`;
}
