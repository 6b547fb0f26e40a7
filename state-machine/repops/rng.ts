// Counter-based randomness: Philox4x32-10 (Salmon et al., Random123). A value depends only on
// (seed, stream, index), so any element can be recomputed on its own: dropout masks, initialisation
// and shuffles are reproducible by the chain's referee without replaying a generator.
//   key     = (seed mod 2^32, seed >> 32)                       seed: 64-bit unsigned
//   counter = (block mod 2^32, block >> 32, stream mod 2^32, stream >> 32)
//   u32 at (stream, i) = word (i mod 4) of philox(key, counter with block = floor(i / 4))
import { AttrError } from './errors.ts';
import { fl, f32 } from './f32.ts';
import { logf, cosf } from './transcendentals.ts';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_POW_32 = 4294967296;

/** High 32 bits of the 64-bit product of two u32 (exact in doubles by splitting b into 16-bit halves). */
function mulhi(a: number, b: number): number {
  const t = a * (b & 0xffff);
  const s = a * (b >>> 16) + Math.floor(t / 65536);
  return Math.floor(s / 65536) >>> 0;
}

/** One Philox4x32-10 block; writes 4 words into out. */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let a = k0 >>> 0, b = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, x0), lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2), lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ a) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ b) >>> 0;
    x3 = lo0;
    a = (a + W0) >>> 0;
    b = (b + W1) >>> 0;
  }
  out[0] = x0; out[1] = x1; out[2] = x2; out[3] = x3;
}

export interface PhiloxKey {
  readonly k0: number;
  readonly k1: number;
}

const SEED_MAX = (1n << 64n) - 1n;

/** Key from a 64-bit seed given as bigint, safe integer, or decimal / 0x-hex string (attrs use these). */
export function philoxKey(seed: bigint | number | string): PhiloxKey {
  let s: bigint;
  try {
    s = typeof seed === 'bigint' ? seed : BigInt(seed);
  } catch {
    throw new AttrError('rng', 'seed', `not an integer: ${String(seed)}`);
  }
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) throw new AttrError('rng', 'seed', 'not a safe integer');
  if (s < 0n || s > SEED_MAX) throw new AttrError('rng', 'seed', 'must be in [0, 2^64)');
  return { k0: Number(s & 0xffffffffn), k1: Number(s >> 32n) };
}

/** Stream id split into two u32 counter words; stream must be a safe non-negative integer. */
export function streamWords(stream: number): [number, number] {
  if (!Number.isSafeInteger(stream) || stream < 0) throw new AttrError('rng', 'stream', 'must be a non-negative safe integer');
  return [stream % TWO_POW_32, Math.floor(stream / TWO_POW_32)];
}

const BLOCK = new Uint32Array(4);

/** Fills out[i] with the u32 at (stream, i) for i = 0..n-1. */
export function philoxFill(key: PhiloxKey, stream0: number, stream1: number, out: Uint32Array): void {
  const n = out.length;
  for (let i = 0; i < n; i += 4) {
    const block = i / 4;
    philox4x32(block % TWO_POW_32, Math.floor(block / TWO_POW_32), stream0, stream1, key.k0, key.k1, BLOCK);
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = BLOCK[j];
  }
}

const TWO_POW_M24 = 2 ** -24;
/** uniform f32 in [0, 1) from a u32: (u >>> 8) · 2^-24 (exact). */
export function u32ToUniform(u: number): number {
  return (u >>> 8) * TWO_POW_M24;
}

const TWO_PI = f32(0x40c90fdb);
const MINUS_TWO = -2;
/**
 * Standard normal from one Philox block (words w0, w1), Box–Muller with the RepOps log/sqrt/cos:
 * u1 = ((w0 >>> 8) + 1)·2^-24 ∈ (0, 1], u2 = (w1 >>> 8)·2^-24, r = sqrt(fl(-2·logf(u1))),
 * θ = fl(2π·u2), z = fl(r · cosf(θ)).
 */
export function boxMuller(w0: number, w1: number): number {
  const u1 = ((w0 >>> 8) + 1) * TWO_POW_M24;
  const u2 = (w1 >>> 8) * TWO_POW_M24;
  const r = fl(Math.sqrt(fl(MINUS_TWO * logf(u1))));
  const theta = fl(TWO_PI * u2);
  return fl(r * cosf(theta));
}

/**
 * A sequential reader over one stream: word j of the stream is the u32 at (stream, j). Used for
 * shuffles and rejection sampling, where the number of draws depends on the values.
 */
export class PhiloxStream {
  private readonly key: PhiloxKey;
  private readonly s0: number;
  private readonly s1: number;
  private readonly block = new Uint32Array(4);
  private index = 0;

  constructor(seed: bigint | number | string, stream: number) {
    this.key = philoxKey(seed);
    [this.s0, this.s1] = streamWords(stream);
  }

  /** Index of the next word to be drawn. */
  get position(): number {
    return this.index;
  }

  nextU32(): number {
    const j = this.index & 3;
    if (j === 0) {
      const b = this.index / 4;
      philox4x32(b % TWO_POW_32, Math.floor(b / TWO_POW_32), this.s0, this.s1, this.key.k0, this.key.k1, this.block);
    }
    this.index++;
    return this.block[j];
  }

  nextUniform(): number {
    return u32ToUniform(this.nextU32());
  }

  /**
   * Uniform integer in [0, n) for 1 <= n <= 2^32, without modulo bias: draw u until
   * u < 2^32 - (2^32 mod n), return u mod n.
   */
  randBelow(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > TWO_POW_32) throw new AttrError('rng', 'n', 'must be in [1, 2^32]');
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const u = this.nextU32();
      if (u < limit) return u % n;
    }
  }
}

/**
 * Permutation of 0..n-1: start from the identity, then Fisher–Yates from the top:
 * for i = n-1 down to 1: j = randBelow(i + 1); swap(a[i], a[j]). All draws from one stream.
 */
export function permutation(n: number, seed: bigint | number | string, stream: number): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) throw new AttrError('rng', 'n', 'bad permutation length');
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  const rs = new PhiloxStream(seed, stream);
  for (let i = n - 1; i >= 1; i--) {
    const j = rs.randBelow(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** n uniform f32 in [0, 1) at (seed, stream, 0..n-1). */
export function uniformF32(n: number, seed: bigint | number | string, stream: number): Float32Array {
  const key = philoxKey(seed);
  const [s0, s1] = streamWords(stream);
  const u = new Uint32Array(n);
  philoxFill(key, s0, s1, u);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = u32ToUniform(u[i]);
  return out;
}

/** n standard normals: element i uses Philox block i of the stream (words 0 and 1). */
export function normalF32(n: number, seed: bigint | number | string, stream: number): Float32Array {
  const key = philoxKey(seed);
  const [s0, s1] = streamWords(stream);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    philox4x32(i % TWO_POW_32, Math.floor(i / TWO_POW_32), s0, s1, key.k0, key.k1, BLOCK);
    out[i] = boxMuller(BLOCK[0], BLOCK[1]);
  }
  return out;
}
