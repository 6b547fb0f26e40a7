// Our own view of each peer, beside gossipsub's: refused messages cost points, a peer below the ban
// threshold is disconnected and refused (dial and inbound) for a while, and good behaviour slowly
// earns the points back. Request floods are bounded by a token bucket per peer.

import type { Offence } from './errors.ts';

/** Points each offence costs. A peer starts at 0 and is banned at BAN_THRESHOLD. */
export const PENALTY: Record<Offence, number> = {
  'invalid-block': 50,
  'bad-signature': 50,
  'wrong-chain': 50,
  conflict: 50,
  malformed: 25,
  oversize: 25,
  'far-future': 25,
  flood: 10,
  timeout: 5,
};
export const BAN_THRESHOLD = -100;
export const BAN_MS = 10 * 60_000;
/** points recovered per second toward 0: an offence a minute never adds up to a ban, a burst does */
const RECOVERY_PER_S = 0.5;

interface PeerRecord {
  score: number;
  at: number;
}

export class PeerScores {
  private readonly peers = new Map<string, PeerRecord>();
  private readonly bans = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  score(peer: string): number {
    const r = this.peers.get(peer);
    if (!r) return 0;
    const recovered = ((this.now() - r.at) / 1000) * RECOVERY_PER_S;
    return Math.min(0, r.score + recovered);
  }

  /** Applies a penalty; true when the peer has just crossed the ban threshold. */
  penalise(peer: string, offence: Offence): boolean {
    const s = this.score(peer) - PENALTY[offence];
    this.peers.set(peer, { score: s, at: this.now() });
    if (s > BAN_THRESHOLD || this.isBanned(peer)) return false;
    this.bans.set(peer, this.now() + BAN_MS);
    // bounded: forget the oldest bans past a few thousand
    if (this.bans.size > 4096) this.bans.delete(this.bans.keys().next().value as string);
    return true;
  }

  isBanned(peer: string): boolean {
    const until = this.bans.get(peer);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.bans.delete(peer);
    this.peers.delete(peer);
    return false;
  }

  bannedCount(): number {
    return [...this.bans.keys()].filter((p) => this.isBanned(p)).length;
  }

  forget(peer: string): void {
    if (!this.isBanned(peer)) this.peers.delete(peer);
  }
}

/** Token buckets per peer: `rate` tokens per second up to `burst`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(peer: string, cost = 1): boolean {
    const t = this.now();
    const b = this.buckets.get(peer) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate);
    b.at = t;
    this.buckets.set(peer, b);
    if (this.buckets.size > 4096) this.buckets.delete(this.buckets.keys().next().value as string);
    if (b.tokens < cost) return false;
    b.tokens -= cost;
    return true;
  }

  forget(peer: string): void {
    this.buckets.delete(peer);
  }
}
