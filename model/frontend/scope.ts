/**
 * What a name means while a model is walked: bindings, nested scopes, and
 * the frame of the function being compiled (where `return`, `break` and
 * `continue` go). Plain data shared by every part of the extractor.
 */

import type { ts } from 'ts-morph';
import type { InstanceId, Loc } from '../ir.js';
import type { Edge, Pair } from './graph.js';

/** Thrown after a diagnostic was recorded: abandons the current statement. */
export class Abort extends Error {}

export type Binding =
  | { kind: 'instance'; id: InstanceId; value?: number }
  | { kind: 'value'; value: number }
  | { kind: 'gfp'; names: string[] }
  | { kind: 'seq'; notifier: InstanceId }
  /** `const bos = [a, b, c];`: indexed with a constant (`bos[i]` in an unrolled loop). */
  | { kind: 'list'; items: InstanceId[] }
  | { kind: 'null' }
  /** An operation result nobody branches on, or an entry function's parameter. */
  | { kind: 'opaque'; what: string }
  /** A declaration that already failed with a diagnostic: uses are skipped silently. */
  | { kind: 'poison' };

export class Env {
  private readonly vars = new Map<string, Binding>();
  constructor(readonly parent?: Env) {}
  /** Looking up a poisoned name abandons the statement: its error is already reported. */
  get(name: string): Exclude<Binding, { kind: 'poison' }> | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      const b = e.vars.get(name);
      if (b?.kind === 'poison') throw new Abort();
      if (b) return b;
    }
    return undefined;
  }
  set(name: string, b: Binding): void {
    this.vars.set(name, b);
  }
}

export interface Frame {
  returns: Edge[];
  /** Set when the helper was called for its value: `return x;` values, per path. */
  values?: Pair[];
  breaks: Edge[][];
  continues: (Edge[] | null)[];
  chain: Loc[];
  stack: string[];
  /** Names declared anywhere in this function (for use-before-declaration). */
  declared: Map<string, ts.VariableDeclaration>;
}
