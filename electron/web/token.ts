/**
 * The web host's access token: 128 random bits, compared in constant time. Both sides are hashed
 * first so that the comparison takes the same time whatever the length of the guess.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128-bit random token, hex-encoded (32 characters, URL-safe). */
export function generateToken(): string {
  return randomBytes(16).toString('hex');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time equality of a presented token with the expected one; absent never matches. */
export function tokenMatches(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
