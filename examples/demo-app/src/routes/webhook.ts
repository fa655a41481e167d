import { createHmac } from "node:crypto";

/**
 * Whether a webhook's body came with the HMAC-SHA256 signature its sender's key makes.
 * @param body - the raw request body
 * @param signature - the hex signature the sender put in `x-signature`
 * @param key - the key shared with the sender
 */
export function isSignedWebhook(body: string, signature: string, key: string): boolean {
  const expectedSignature = createHmac("sha256", key).update(body).digest("hex");
  return signature === expectedSignature;
}
