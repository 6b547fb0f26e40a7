// Scalar float32 transcendentals built from + − × ÷, sqrt and bit manipulation only (never Math.exp,
// Math.log, Math.sin or libm), so every backend that follows these exact steps gets the same bits.
// Every step is rounded to float32 (fl), polynomials are Horner without FMA, constants are float32 bit
// patterns. docs/repops.md lists the algorithms and the measured errors.
import { fl, f32, bitsOf, pow2, NAN_F32 } from './f32.ts';

// ---------------------------------------------------------------- exp
const LOG2E = f32(0x3fb8aa3b);
const LN2_HI = f32(0x3f317200); // 16 significant bits: k·LN2_HI is exact for |k| <= 255
const LN2_LO = f32(0x35bfbe8e);
const ROUND_SHIFT = f32(0x4b400000); // 1.5·2^23: fl(fl(t + S) − S) rounds t to an integer, ties to even
const EXP_P0 = f32(0x39506967);
const EXP_P1 = f32(0x3ab743ce);
const EXP_P2 = f32(0x3c088908);
const EXP_P3 = f32(0x3d2aa9c1);
const EXP_P4 = f32(0x3e2aaaaa);
const EXP_P5 = f32(0x3f000000);
const EXP_OVERFLOW = f32(0x42b17217); // largest x with expf(x) finite
const EXP_UNDERFLOW = f32(0xc2d00000); // -104: below it expf(x) < 2^-150 rounds to +0

/** exp(x) ≈ (hi + lo)·2^k for finite x in [EXP_UNDERFLOW, EXP_OVERFLOW]; hi = fl(1 + q), lo its exact tail. */
const EXP = { hi: 0, lo: 0, k: 0 };

function expCore(x: number): void {
  const k = fl(fl(fl(x * LOG2E) + ROUND_SHIFT) - ROUND_SHIFT);
  const r = fl(fl(x - fl(k * LN2_HI)) - fl(k * LN2_LO));
  const z = fl(r * r);
  let p = EXP_P0;
  p = fl(fl(p * r) + EXP_P1);
  p = fl(fl(p * r) + EXP_P2);
  p = fl(fl(p * r) + EXP_P3);
  p = fl(fl(p * r) + EXP_P4);
  p = fl(fl(p * r) + EXP_P5);
  const q = fl(fl(p * z) + r);
  const hi = fl(1 + q);
  EXP.hi = hi;
  EXP.lo = fl(q - fl(hi - 1)); // exact: |q| < 1
  EXP.k = k;
}

export function expf(x: number): number {
  if (x !== x) return NAN_F32;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  expCore(x);
  // one rounding of hi·2^k (exact in double, so denormal results are rounded once)
  return fl(EXP.hi * pow2(EXP.k));
}

// ---------------------------------------------------------------- log
const LOG_LN2_HI = f32(0x3f317180);
const LOG_LN2_LO = f32(0x3717f7d1);
const LG1 = f32(0x3f2aaaaa);
const LG2 = f32(0x3eccce13);
const LG3 = f32(0x3e91e9ee);
const LG4 = f32(0x3e789e26);
const TWO_POW_25 = f32(0x4c000000);

export function logf(x: number): number {
  let ix = bitsOf(x);
  let k = 0;
  if (ix < 0x00800000 || ix >= 0x80000000) {
    if ((ix & 0x7fffffff) === 0) return -Infinity; // ±0
    if (ix >= 0x80000000) return NAN_F32; // negative or negative NaN
    // denormal: scale up exactly
    k -= 25;
    ix = bitsOf(fl(x * TWO_POW_25));
  } else if (ix >= 0x7f800000) {
    return ix === 0x7f800000 ? Infinity : NAN_F32;
  } else if (ix === 0x3f800000) {
    return 0;
  }
  // reduce to m in [√2/2, √2): m = x·2^-k
  ix = (ix + (0x3f800000 - 0x3f3504f3)) >>> 0;
  k += (ix >>> 23) - 0x7f;
  ix = ((ix & 0x007fffff) + 0x3f3504f3) >>> 0;
  const m = f32(ix);
  const f = fl(m - 1);
  const s = fl(f / fl(2 + f));
  const z = fl(s * s);
  const w = fl(z * z);
  const t1 = fl(w * fl(LG2 + fl(w * LG4)));
  const t2 = fl(z * fl(LG1 + fl(w * LG3)));
  const R = fl(t2 + t1);
  const hfsq = fl(fl(0.5 * f) * f);
  const dk = k;
  // s·(hfsq+R) + dk·ln2_lo − hfsq + f + dk·ln2_hi, left to right
  let y = fl(s * fl(hfsq + R));
  y = fl(y + fl(dk * LOG_LN2_LO));
  y = fl(y - hfsq);
  y = fl(y + f);
  return fl(y + fl(dk * LOG_LN2_HI));
}

// ---------------------------------------------------------------- sigmoid, tanh
/**
 * sigmoid(x) = 1/(1+e) with e = e^-x for x >= 0, e/(1+e) with e = e^x for x < 0, e = eh + el from
 * expCore; the rounding error of 1 + eh is recovered exactly (Fast2Sum) and folded back in.
 */
export function sigmoidf(x: number): number {
  if (x !== x) return NAN_F32;
  const t = x >= 0 ? -x : x; // t <= 0
  if (t < EXP_UNDERFLOW) return x >= 0 ? 1 : 0;
  expCore(t);
  const scale = pow2(EXP.k);
  const eh = fl(EXP.hi * scale);
  const el = fl(EXP.lo * scale);
  const d = fl(1 + eh);
  const derr = fl(fl(eh - fl(d - 1)) + el); // 1 + e = d + derr
  if (x >= 0) {
    const s0 = fl(1 / d);
    return fl(s0 - fl(s0 * fl(derr / d)));
  }
  const s0 = fl(eh / d);
  return fl(s0 + fl(fl(el - fl(s0 * derr)) / d));
}

const TANH_SMALL = f32(0x3f0ccccd); // 0.55: below, an odd polynomial; above, via expf
const TANH_SAT = f32(0x41100000); // 9: fl(tanh(x)) == 1 for x >= 9.01
const TANH_T1 = f32(0xbeaaaaaa); // tanh(x) = x + x·z·P(z), z = x², P fitted (relative minimax) on [0, 0.55]
const TANH_T2 = f32(0x3e08886e);
const TANH_T3 = f32(0xbd5d04cb);
const TANH_T4 = f32(0x3cb271e4);
const TANH_T5 = f32(0xbc09daa9);
const TANH_T6 = f32(0x3b1d0310);

export function tanhf(x: number): number {
  if (x !== x) return NAN_F32;
  const ax = Math.abs(x);
  let t: number;
  if (ax >= TANH_SAT) {
    t = 1;
  } else if (ax >= TANH_SMALL) {
    // 1 − 2/(e^{2|x|} + 1)
    const e = expf(fl(2 * ax));
    t = fl(1 - fl(2 / fl(e + 1)));
  } else {
    const z = fl(ax * ax);
    let p = TANH_T6;
    p = fl(fl(p * z) + TANH_T5);
    p = fl(fl(p * z) + TANH_T4);
    p = fl(fl(p * z) + TANH_T3);
    p = fl(fl(p * z) + TANH_T2);
    p = fl(fl(p * z) + TANH_T1);
    t = fl(fl(fl(p * z) * ax) + ax);
  }
  return x < 0 || Object.is(x, -0) ? -t : t;
}

// ---------------------------------------------------------------- sin, cos
const TWO_OVER_PI = f32(0x3f22f983);
// π/2 = PIO2_1 + … + PIO2_6: the first five have 12 significant bits, so k·PIO2_i is exact for
// |k| < 2^12 (|x| < 4096 gives |k| <= 2608); the sum is within 1e-28 of π/2.
const PIO2_1 = f32(0x3fc90000);
const PIO2_2 = f32(0x39fda000);
const PIO2_3 = f32(0x33a22000);
const PIO2_4 = f32(0x2c346000);
const PIO2_5 = f32(0x248d3000);
const PIO2_6 = f32(0x1d18cc51);
const PIO2_EXACT_PARTS = [PIO2_2, PIO2_3, PIO2_4, PIO2_5];
const SIN_S1 = f32(0xbe2aaaa3);
const SIN_S2 = f32(0x3c08839e);
const SIN_S3 = f32(0xb94ca1f9);
const COS_C1 = f32(0x3d2aaaa5);
const COS_C2 = f32(0xbab6061a);
const COS_C3 = f32(0x37ccf5ce);
const FAST_REDUCTION_LIMIT = 4096;

/** sin(r + rlo) on [−π/4, π/4]: r + (r·z·P(z) + rlo), P(z) = S1 + z·(S2 + z·S3). */
function sinKernel(r: number, rlo: number): number {
  const z = fl(r * r);
  let p = SIN_S3;
  p = fl(fl(p * z) + SIN_S2);
  p = fl(fl(p * z) + SIN_S1);
  return fl(r + fl(fl(fl(p * z) * r) + rlo));
}

/**
 * cos(r + rlo) on [−π/4, π/4]: 1 − z/2 + z²·Q(z) − r·rlo, Q(z) = C1 + z·(C2 + z·C3), summed as
 * w = fl(1 − hz); w + (((1 − w) − hz) + (z²·Q − r·rlo)) so that the rounding of 1 − hz is recovered.
 */
function cosKernel(r: number, rlo: number): number {
  const z = fl(r * r);
  let p = COS_C3;
  p = fl(fl(p * z) + COS_C2);
  p = fl(fl(p * z) + COS_C1);
  const hz = fl(0.5 * z);
  const w = fl(1 - hz);
  const tail = fl(fl(fl(p * z) * z) - fl(r * rlo));
  return fl(w + fl(fl(fl(1 - w) - hz) + tail));
}

const REDUCED = { r: 0, rlo: 0, q: 0 };

/**
 * x = k·π/2 + r + rlo with |r| <= about π/4 and rlo the tail of r; REDUCED.q = k mod 4.
 * Fast path (|x| < 4096): hi = x − k·P1 is exact; then for P2..P5 in order hi, e = TwoSum(hi, −k·Pi)
 * (exact) and lo = fl(lo + e); lo = fl(lo − k·P6); (r, rlo) = Fast2Sum(hi, lo). Absolute error
 * below 2^-60, against |r| >= 4e-9 for every float32 |x| < 4096 (the closest one to a multiple of π/2).
 */
function reducePio2(x: number): void {
  if (Math.abs(x) < FAST_REDUCTION_LIMIT) {
    const k = fl(fl(fl(x * TWO_OVER_PI) + ROUND_SHIFT) - ROUND_SHIFT);
    let hi = fl(x - fl(k * PIO2_1));
    let lo = 0;
    for (const p of PIO2_EXACT_PARTS) {
      const c = -fl(k * p);
      const s = fl(hi + c);
      const bv = fl(s - hi);
      const av = fl(s - bv);
      lo = fl(lo + fl(fl(hi - av) + fl(c - bv)));
      hi = s;
    }
    lo = fl(lo - fl(k * PIO2_6));
    const r = fl(hi + lo);
    REDUCED.r = r;
    REDUCED.rlo = fl(lo - fl(r - hi));
    REDUCED.q = ((k % 4) + 4) % 4;
    return;
  }
  reduceLarge(x);
}

// Large arguments: exact reduction with integers (Payne–Hanek style). x = M·2^E; k = round-half-even of
// x·2/π computed exactly from 320 bits of 2/π, r = RN_f32((x·2/π − k)·π/2) with 128 bits of π/2.
const TWO_OVER_PI_320 = 0xa2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561b7246e3a424dd2e0n;
const PIO2_128 = 0x1921fb54442d18469898cc51701b839a2n; // π/2·2^128

function reduceLarge(x: number): void {
  const b = bitsOf(x);
  const neg = b >>> 31 === 1;
  const exp = (b >>> 23) & 0xff; // |x| >= 4096 so x is normal
  const M = BigInt((b & 0x7fffff) | 0x800000);
  const E = exp - 150; // |x| = M·2^E, E >= -11
  // x·2/π = M·T·2^(E−320); keep F fractional bits
  const prod = M * TWO_OVER_PI_320;
  const F = BigInt(320 - E); // position of the binary point in prod
  const one = 1n << F;
  let k = prod >> F; // floor
  let frac = prod - (k << F); // in [0, 1)·2^F
  const half = one >> 1n;
  if (frac > half || (frac === half && (k & 1n) === 1n)) {
    k += 1n;
    frac -= one;
  }
  // r = frac·π/2·2^-(F+128)
  const rBig = frac * PIO2_128;
  const scale = -(Number(F) + 128);
  let r = roundBigToF32(rBig, scale);
  let rlo = roundBigToF32(rBig - f32ToBig(r, scale), scale);
  let q = Number(k & 3n);
  if (neg) {
    r = -r;
    rlo = -rlo;
    q = (4 - q) & 3;
  }
  REDUCED.r = r;
  REDUCED.rlo = rlo;
  REDUCED.q = q;
}

/** The exact value of the float32 r as an integer multiple of 2^scale (scale below r's last bit). */
function f32ToBig(r: number, scale: number): bigint {
  if (r === 0) return 0n;
  const b = bitsOf(r);
  const e = (b >>> 23) & 0xff;
  const m = BigInt(e === 0 ? b & 0x7fffff : (b & 0x7fffff) | 0x800000);
  const v = m << BigInt((e === 0 ? 1 : e) - 150 - scale);
  return b >>> 31 === 1 ? -v : v;
}

/** RN_f32(v·2^scale) for a signed bigint v (round to nearest, ties to even; result is normal here). */
function roundBigToF32(v: bigint, scale: number): number {
  if (v === 0n) return 0;
  const neg = v < 0n;
  let m = neg ? -v : v;
  const len = m.toString(2).length;
  const drop = len - 24;
  if (drop > 0) {
    const shift = BigInt(drop);
    const rest = m & ((1n << shift) - 1n);
    m >>= shift;
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
    scale += drop;
  }
  const r = fl(Number(m) * pow2(scale));
  return neg ? -r : r;
}

export function sinf(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return NAN_F32;
  if (x === 0) return x; // keeps −0
  reducePio2(x);
  const { r, rlo, q } = REDUCED;
  switch (q) {
    case 0: return sinKernel(r, rlo);
    case 1: return cosKernel(r, rlo);
    case 2: return -sinKernel(r, rlo);
    default: return -cosKernel(r, rlo);
  }
}

export function cosf(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return NAN_F32;
  reducePio2(x);
  const { r, rlo, q } = REDUCED;
  switch (q) {
    case 0: return cosKernel(r, rlo);
    case 1: return -sinKernel(r, rlo);
    case 2: return -cosKernel(r, rlo);
    default: return sinKernel(r, rlo);
  }
}

// ---------------------------------------------------------------- GELU (tanh form)
const GELU_C = f32(0x3f4c422a); // √(2/π)
const GELU_A = f32(0x3d372713); // 0.044715
const GELU_3A = f32(0x3e095d4f); // 3·0.044715

/** gelu(x) = 0.5x(1 + tanh(u)) = x·sigmoid(2u), u = fl(C·fl(x + fl(A·fl(fl(x·x)·x)))). */
export function geluf(x: number): number {
  const u = fl(GELU_C * fl(x + fl(GELU_A * fl(fl(x * x) * x))));
  return fl(x * sigmoidf(fl(2 * u)));
}

/** d gelu/dx = s + x·s(1−s)·2u', s = sigmoid(2u), u' = C(1 + 3A·x²); the second term is 0 when s(1−s) = 0. */
export function geluGradf(x: number): number {
  const u = fl(GELU_C * fl(x + fl(GELU_A * fl(fl(x * x) * x))));
  const s = sigmoidf(fl(2 * u));
  const t = fl(s * fl(1 - s));
  if (t === 0 || t !== t) return t !== t ? NAN_F32 : s;
  const du = fl(GELU_C * fl(1 + fl(GELU_3A * fl(x * x))));
  return fl(s + fl(fl(x * t) * fl(2 * du)));
}
