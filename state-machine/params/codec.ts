// How a module owns its genesis parameters: defaults, validation from JSON, and the canonical JSON
// form. genesis/ assembles the modules' codecs (state-machine/app.ts lists them); it owns none.
import type { Json, JsonObject } from './fields.ts';

export interface ParamsCodec<P> {
  /** the parameters a genesis gets when it leaves the module's section out */
  defaults(): P;
  /** validates `v` (undefined = section absent: defaults); errors name `field.sub` */
  parse(v: Json | undefined, field: string): P;
  /** canonical JSON (amounts as decimal strings), readable back by parse */
  toJson(p: P): JsonObject;
}
