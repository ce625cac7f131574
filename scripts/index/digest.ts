/** The SHA-1 digest (hex) the derived index keys its caches and outputs by. */
import { createHash } from 'node:crypto';

/** SHA-1 of a string or bytes, hex. */
export function sha1(s: string | Buffer): string {
  return createHash('sha1').update(s).digest('hex');
}
