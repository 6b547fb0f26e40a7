// Errors raised by RepOps: a bad shape, dtype, attribute or opcode is the caller's fault and is
// reported with a stable code (the chain's referee turns it into a lost dispute move, never a crash).
import { VerityError } from '../errors.ts';

export class RepOpsError extends VerityError {}

export class ShapeError extends RepOpsError {
  constructor(op: string, message: string) {
    super('REPOPS_SHAPE', `${op}: ${message}`, { op });
  }
}

export class DTypeError extends RepOpsError {
  constructor(op: string, message: string) {
    super('REPOPS_DTYPE', `${op}: ${message}`, { op });
  }
}

export class AttrError extends RepOpsError {
  constructor(op: string, attr: string, message: string) {
    super('REPOPS_ATTR', `${op}.${attr}: ${message}`, { op, attr });
  }
}

export class UnknownOpError extends RepOpsError {
  constructor(what: string) {
    super('REPOPS_UNKNOWN_OP', `unknown RepOps operator ${what}`, { op: what });
  }
}

export class IndexRangeError extends RepOpsError {
  constructor(op: string, message: string) {
    super('REPOPS_INDEX', `${op}: ${message}`, { op });
  }
}
