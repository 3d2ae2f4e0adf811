import { readFileSync } from 'node:fs';
import { init } from 'z3-solver';
const ROOT='/work/main';
const { Unrolling } = await import(ROOT+'/dist/checker/engines/bmc/encode.js');
const ts = JSON.parse(readFileSync(process.argv[2],'utf8'));
const only = process.argv[3];
const api = await init();
const ctx = new api.Context('bmc');
api.Z3.enable_concurrent_dec_ref(ctx.ptr);
const t0=Date.now();
const u = new Unrolling(ctx, ts, { selector:'onehot', allowIdle:false, tag:'sp' });
const W = ts.vars.map(v=>Math.max(1,v.width));
const cur = ts.vars.map((v,i)=>ctx.BitVec.const(`c_${i}`, W[i]));
u.s.push(cur); // index 1 = symbolic state
const sorts = W.map(w=>ctx.BitVec.sort(w));
const Inv = ctx.Function.declare('Inv', ...sorts, ctx.Bool.sort());
const Err = ctx.Function.declare('Err', ctx.Bool.sort());
const fp = new ctx.Fixedpoint();
fp.set('engine','datalog'); fp.set('timeout', 30000); console.log('fp');
fp.registerRelation(Inv); fp.registerRelation(Err);
fp.addRule(Inv.call(...u.s[0]), 'init');
for (const t of ts.transitions) {
  const next = cur.slice();
  for (const up of t.updates) { const val=u.intAt(up.e,1); const w=W[up.v]; next[up.v] = val.w>w ? val.e.extract(w-1,0) : (val.w===w?val.e:val.e.zeroExt(w-val.w)); }
  fp.addRule(ctx.ForAll(cur, ctx.Implies(ctx.And(Inv.call(...cur), u.boolAt(t.guard,1)), Inv.call(...next))), 't'+t.id);
}
const bads=[];
ts.properties.forEach((p,pi)=>{
  if (only && p.kind!==only) return;
  let b;
  if (p.kind==='state') b=u.boolAt(p.bad,1);
  else if (p.kind==='terminal') b=ctx.And(u.terminal(1), u.boolAt(p.bad,1));
  else if (p.kind==='deadlock') b=u.deadlock(1);
  else if (p.kind==='step') b = p.transitions.length? ctx.Or(...p.transitions.map(t=>ctx.And(u.boolAt(ts.transitions[t].guard,1), u.boolAt(p.when,1)))) : ctx.Bool.val(false);
  bads.push(b);
});
fp.addRule(ctx.ForAll(cur, ctx.Implies(ctx.And(Inv.call(...cur), ctx.Or(...bads)), Err.call())), 'bad');
const t1=Date.now(); console.log('built', t1-t0);
const r = await fp.query(Err.call());
console.log('props', bads.length, 'build', t1-t0, 'query', Date.now()-t1, 'ms', r);
api.em.PThread.terminateAllThreads(); process.exit(0);
