import { createHash } from 'node:crypto';

/**
 * A weak ETag for an answer worth revalidating (the DCAT export, the playground's own files), set
 * by the handler that sends it; Express then answers a matching If-None-Match with 304. The hub
 * turns Express's automatic ETags off (src/server.ts): it hashed every GraphQL answer, which no
 * client revalidates (a POST never is), at 0.17 ms for a 216 KB list page.
 */
export function weakEtag(body: string | Buffer): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return `W/"${bytes.length.toString(16)}-${createHash('sha1').update(bytes).digest('base64url')}"`;
}
