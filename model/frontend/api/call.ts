/**
 * One kernel API call being lowered to an IR op: its arguments, and the
 * helpers every family's lowering shares (an instance argument, an
 * optional ww context, trailing arguments read but ignored, the instance
 * the call creates).
 */

import type { ts as TS } from 'ts-morph';
import { ts } from '../typescript.js';
import type { Instance, InstanceId, InstanceKind, KernelRange, Op } from '../../ir.js';
import type { ApiEntry, ArgSpec } from '../../vocabulary.js';
import { ignoredArg, instanceArg } from '../arguments.js';
import type { ExtractContext, ProcBuild } from '../context.js';
import type { Env, Frame } from '../scope.js';
import { skipParens } from '../syntax.js';

export interface ApiCall {
  readonly api: ApiEntry;
  /** The API's name as the model wrote it (`api.api`). */
  readonly name: string;
  readonly call: TS.CallExpression;
  readonly args: TS.NodeArray<TS.Expression>;
  readonly env: Env;
  readonly frame: Frame;
  /** Argument i as an instance of its declared spec (or of `spec`). */
  inst(i: number, spec?: ArgSpec): InstanceId;
  /** Argument i as a ww acquire context; undefined when absent, `NULL` or `null`. */
  ctxArg(i: number): InstanceId | undefined;
  /** Arguments from `from` on are kept for realism: checked, then ignored. */
  ignoreFrom(from: number): void;
  /** The instance this call site creates in this proc (the same one on every path). */
  local(kind: InstanceKind, extra: Partial<Instance>): InstanceId;
}

/** A lowered call: the op, and what `const x = api(...)` binds `x` to. */
export interface Lowered {
  op: Op;
  /**
   * Steps the call performs before `op`, in order, each with the one
   * outcome `ok` (`clk_prepare` locks prepare_lock and may allocate before
   * it unlocks); `kernel` limits a step to the kernels it exists on.
   */
  pre?: { op: Op; kernel?: KernelRange }[];
  created?: InstanceId;
  seq?: InstanceId;
}

export type Lowering = (cx: ExtractContext, c: ApiCall) => Lowered;

const CREATES_DEFAULT_NAME: Record<string, string> = {
  ww_ctx: 'ctx',
  signalling_cookie: 'cookie',
  memalloc_cookie: 'flags',
  attachment: 'attach',
};

export function apiCall(
  cx: ExtractContext,
  api: ApiEntry,
  call: TS.CallExpression,
  env: Env,
  frame: Frame,
  p: ProcBuild,
  declName: string | undefined,
  declNode: TS.Node | undefined,
): ApiCall {
  const a = call.arguments;
  const name = api.api;
  return {
    api,
    name,
    call,
    args: a,
    env,
    frame,
    inst(i, spec) {
      const s = spec ?? api.args[i]!;
      if (s.kind !== 'instance') throw new Error(`spec ${i} of ${name} is not an instance`);
      return instanceArg(cx, a[i]!, env, s, name, i + 1, frame);
    },
    ctxArg(i) {
      const x = a[i] && skipParens(a[i]!);
      if (!x || x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && (x.text === 'NULL' || env.get(x.text)?.kind === 'null'))) return undefined;
      return instanceArg(cx, x, env, { kind: 'instance', name: 'ctx', kinds: ['ww_ctx'] }, name, i + 1, frame);
    },
    ignoreFrom(from) {
      for (let i = from; i < a.length; i++) ignoredArg(cx, a[i]!, env, frame);
    },
    local(kind, extra) {
      const key = `${p.id}:${call.getStart(cx.sf)}`;
      const got = cx.localKey.get(key);
      if (got !== undefined) return got;
      const id = cx.addInstance({ name: declName ?? CREATES_DEFAULT_NAME[kind] ?? kind, kind, ...extra, local: true }, declNode ?? call);
      cx.localOwner.set(id, p.name);
      cx.localKey.set(key, id);
      return id;
    },
  };
}
