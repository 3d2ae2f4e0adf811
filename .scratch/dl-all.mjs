import { readFileSync, readdirSync } from 'node:fs';
import { init } from 'z3-solver';
const { Unrolling } = await import('/work/main/dist/checker/engines/bmc/encode.js');
const api = await init();
const ctx = new api.Context('bmc');
api.Z3.enable_concurrent_dec_ref(ctx.ptr);
const dir='/tmp/lmc/sys';
const files = readdirSync(dir).filter(f=>!process.argv[2]||f.includes(process.argv[2]));
let total=0; let nDone=0;
for (const f of files) {
const ts = JSON.parse(readFileSync(dir+'/'+f,'utf8'));
const t0=Date.now();
const u = new Unrolling(ctx, ts, { selector:'onehot', allowIdle:false, tag:'sp'+f.length });
const W = ts.vars.map(v=>Math.max(1,v.width));
const cur = ts.vars.map((v,i)=>ctx.BitVec.const(`c_${i}`, W[i]));
u.s.push(cur);
const sorts = W.map(w=>ctx.BitVec.sort(w));
const Inv = ctx.Function.declare('Inv', ...sorts, ctx.Bool.sort());
const Err = ctx.Function.declare('Err', ctx.Bool.sort());
const fp = new ctx.Fixedpoint();
fp.set('engine','datalog'); fp.set('timeout', 30000);
fp.registerRelation(Inv); fp.registerRelation(Err);
fp.addRule(Inv.call(...u.s[0]), 'init');
for (const t of ts.transitions) {
  const next = cur.slice();
  for (const up of t.updates) { const val=u.intAt(up.e,1); const w=W[up.v]; next[up.v] = val.w>w ? val.e.extract(w-1,0) : (val.w===w?val.e:val.e.zeroExt(w-val.w)); }
  fp.addRule(ctx.ForAll(cur, ctx.Implies(ctx.And(Inv.call(...cur), u.boolAt(t.guard,1)), Inv.call(...next))), 't'+t.id);
}
const bads=[];
ts.properties.forEach((p,pi)=>{
  let b;
  if (p.kind==='state') b=u.boolAt(p.bad,1);
  else if (p.kind==='terminal') b=ctx.And(u.terminal(1), u.boolAt(p.bad,1));
  else if (p.kind==='deadlock') b=u.deadlock(1);
  else if (p.kind==='step') b = p.transitions.length? ctx.Or(...p.transitions.map(t=>ctx.And(u.boolAt(ts.transitions[t].guard,1), u.boolAt(p.when,1)))) : ctx.Bool.val(false);
  bads.push(b);
});
fp.addRule(ctx.ForAll(cur, ctx.Implies(ctx.And(Inv.call(...cur), ctx.Or(...bads)), Err.call())), 'bad');
const t1=Date.now(); process.stderr.write("Q "+f+"\n");
let r;
try { r = await fp.query(Err.call()); } catch(e) { r='ERR '+e.message; }
const ms=Date.now()-t0; total+=ms; fp.release(); globalThis.gc(); if (++nDone % 20 === 0) console.log("rss", Math.round(process.memoryUsage().rss/1e6), nDone);
console.log(String(ms).padStart(6), r, ts.vars.reduce((a,v)=>a+v.width,0)+'b', f);
}
console.log('total', total);
api.em.PThread.terminateAllThreads(); process.exit(0);
