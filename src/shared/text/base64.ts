// The one base64 codec: no Node Buffer, no DOM-only API required, so main, renderer and shared
// code (CDA, seed, importer) all use it.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;

export function bytesToBase64(bytes: Uint8Array): string {
  // Native btoa (browsers, Node ≥ 16) is an order of magnitude faster than the JS loop below.
  if (typeof globalThis.btoa === 'function') {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
    }
    return globalThis.btoa(binary);
  }
  return bytesToBase64Js(bytes);
}

/** Portable fallback, also used by tests to check the native path. */
export function bytesToBase64Js(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk +=
      ALPHABET[(n >> 18) & 63]! +
      ALPHABET[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

export interface Base64DecodeOptions {
  /**
   * Accept what some CDA producers emit: the base64url characters (- and _) and missing padding.
   * Strict decoding (the default) requires the standard alphabet and a length multiple of 4.
   */
  lenient?: boolean;
}

/** Decodes base64, ignoring whitespace; undefined on any invalid character, misplaced or (strict) missing padding. */
export function base64ToBytes(input: string, options: Base64DecodeOptions = {}): Uint8Array<ArrayBuffer> | undefined {
  const out = new Uint8Array(Math.floor((input.length * 3) / 4) + 3);
  let acc = 0;
  let bits = 0;
  let o = 0;
  let chars = 0;
  let padding = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    chars++;
    if (c === PAD) {
      padding++;
      continue;
    }
    if (padding) return undefined; // data after '='
    let v = c < 128 ? (LOOKUP[c] as number) : -1;
    if (options.lenient && c === DASH) v = 62;
    if (options.lenient && c === UNDERSCORE) v = 63;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (!options.lenient && (chars % 4 !== 0 || padding > 2)) return undefined;
  return out.slice(0, o);
}

/** base64ToBytes (strict) for content the application produced itself: invalid input is a bug, thrown. */
export function base64ToBytesOrThrow(input: string): Uint8Array<ArrayBuffer> {
  const bytes = base64ToBytes(input);
  if (!bytes) throw new Error('Contenu base64 invalide.');
  return bytes;
}
