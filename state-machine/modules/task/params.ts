// Genesis parameters of the task module: default deadlines (in blocks), coverage, stakes and bonds.
// A submitter may override the deadlines and coverage per task; the bounds here cap what it may ask.
import { ValidationError } from '../../errors.ts';
import type { ParamsCodec } from '../../params/codec.ts';
import { MAX_U64, bigintFields, bigintsToJson, knownKeys, objectField } from '../../params/fields.ts';

export interface TaskParams {
  /** blocks a solver has from claim to commit */
  commitBlocks: bigint;
  /** blocks from commit to the end of the verification window */
  windowBlocks: bigint;
  /** δ: the verifier draw uses the hash of block commit + δ, unknown when the solver commits */
  drawDelayBlocks: bigint;
  /** verifiers drawn per task unless the submitter asks otherwise */
  defaultVerifiers: bigint;
  /** by default every segment is covered when a task has at most this many */
  defaultCoveredSegments: bigint;
  /** most verifiers a submitter may ask for (bounds the draw's work) */
  maxVerifiers: bigint;
  /** a solver must have this much unlocked stake to claim; it is locked as collateral, wei */
  defaultMinStake: bigint;
  /** unlocked stake a verifier or whistleblower needs, wei */
  verifierMinStake: bigint;
  /** value a challenger escrows with a challenge, wei */
  challengeBond: bigint;
  /** slashed from a drawn verifier that neither attests nor challenges, wei */
  silentVerifierSlash: bigint;
  /** blocks a solver has to post a checkpoint on chain after a data-availability challenge */
  daResponseBlocks: bigint;
  /** blocks a verifier has after a checkpoint is posted on chain to attest or challenge */
  daGraceBlocks: bigint;
  /** after this many expired or rejected solutions the task is refunded instead of reopened */
  maxReopens: bigint;
}

const KEYS = [
  'commitBlocks', 'windowBlocks', 'drawDelayBlocks', 'defaultVerifiers', 'defaultCoveredSegments', 'maxVerifiers',
  'defaultMinStake', 'verifierMinStake', 'challengeBond', 'silentVerifierSlash', 'daResponseBlocks', 'daGraceBlocks', 'maxReopens',
] as const;
const BLOCKS = { min: 1n, max: MAX_U64 };
const NUMBERS = {
  commitBlocks: BLOCKS,
  windowBlocks: BLOCKS,
  drawDelayBlocks: BLOCKS,
  defaultVerifiers: { max: 64n },
  defaultCoveredSegments: { min: 1n, max: 1024n },
  maxVerifiers: { min: 1n, max: 64n },
  defaultMinStake: {},
  verifierMinStake: {},
  challengeBond: {},
  silentVerifierSlash: {},
  daResponseBlocks: BLOCKS,
  daGraceBlocks: BLOCKS,
  maxReopens: { max: 1_000n },
};
const ETHER = 10n ** 18n;

export const taskParams: ParamsCodec<TaskParams> = {
  defaults: () => ({
    commitBlocks: 2_400n,
    windowBlocks: 120n,
    drawDelayBlocks: 4n,
    defaultVerifiers: 2n,
    defaultCoveredSegments: 16n,
    maxVerifiers: 16n,
    defaultMinStake: ETHER,
    verifierMinStake: ETHER,
    challengeBond: ETHER,
    silentVerifierSlash: ETHER / 100n,
    daResponseBlocks: 240n,
    daGraceBlocks: 120n,
    maxReopens: 3n,
  }),
  parse(v, field) {
    if (v === undefined) return this.defaults();
    const o = objectField(v, field);
    knownKeys(o, field, KEYS);
    const p = bigintFields(o, field, NUMBERS);
    if (p.defaultVerifiers > p.maxVerifiers) throw new ValidationError(`${field}.defaultVerifiers`, 'must be at most maxVerifiers');
    if (p.drawDelayBlocks >= p.windowBlocks) throw new ValidationError(`${field}.drawDelayBlocks`, 'must be below windowBlocks');
    return p;
  },
  toJson: (p) => bigintsToJson(p, KEYS),
};
