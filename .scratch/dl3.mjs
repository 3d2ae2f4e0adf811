import { readFileSync, readdirSync } from 'node:fs';
import { init } from 'z3-solver';
const { Unrolling } = await import('/work/main/dist/checker/engines/bmc/encode.js');
const api = await init();

const dir=process.env.DIR??'/tmp/lmc/sys';
const files = readdirSync(dir).filter(f=>!process.argv[2]||f.includes(process.argv[2]));
let total=0;
for (const f of files) {
const ctx = new api.Context("bmc"); api.Z3.enable_concurrent_dec_ref(ctx.ptr);
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
fp.set('engine','datalog'); if (process.env.TABLE) fp.set('datalog.default_table', process.env.TABLE); if (process.env.XX) for (const kv of process.env.XX.split(',')) { const [k,v]=kv.split('='); fp.set(k, v==='true'?true:v==='false'?false:v); } fp.set('timeout', 30000);
fp.registerRelation(Inv); fp.registerRelation(Err);
fp.addRule(Inv.call(...u.s[0]), 'init');
function fixedOf(g, out) { if (g.k==='and') { for (const a of g.args) fixedOf(a,out); } else if (g.k==='eq' && g.a.k==='var' && g.b.k==='const') out.set(g.a.v, g.b.v); else if (g.k==='eq' && g.b.k==='var' && g.a.k==='const') out.set(g.b.v, g.a.v); return out; }
for (const t of ts.transitions) {
  if (process.env.FIX) {
    const fx = fixedOf(t.guard, new Map());
    const R = new Set();
    const walk=(e)=>{ if (e.k==='var') R.add(e.v); for (const k of ['a','b','c','t','e']) if (e[k]&&typeof e[k]==='object') walk(e[k]); if (e.args) e.args.forEach(walk); };
    for (const up of t.updates) if (up.e.k!=='const') walk(up.e);
    for (const v of fx.keys()) R.delete(v);
    const Rl=[...R];
    let combos=[{}];
    for (const v of Rl) { const nx=[]; for (const c of combos) for (let k=0;k<=ts.vars[v].max;k++) nx.push({...c,[v]:k}); combos=nx; }
    if (combos.length>256) combos=[{}];
    for (const sg of combos) {
    const vec = cur.map((x,i)=> fx.has(i) && fx.get(i) < 2**W[i] ? ctx.BitVec.val(fx.get(i), W[i]) : (i in sg ? ctx.BitVec.val(sg[i], W[i]) : x));
    u.s.push(vec); const si = u.s.length-1;
    const next = vec.slice();
    for (const up of t.updates) { const val=u.intAt(up.e,si); const w=W[up.v]; next[up.v] = val.w>w ? val.e.extract(w-1,0) : (val.w===w?val.e:val.e.zeroExt(w-val.w)); if (process.env.SIMP) next[up.v]=await next[up.v].simplify?.() ?? next[up.v]; }
    fp.addRule(ctx.ForAll(cur, ctx.Implies(ctx.And(Inv.call(...vec), u.boolAt(t.guard,si)), Inv.call(...next))), 't'+t.id+'_'+Object.values(sg).join('_'));
    }
    continue;
  }
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
  bads.push(process.env.NOBAD ? ctx.Bool.val(false) : b);
});
fp.addRule(ctx.ForAll(cur, ctx.Implies(ctx.And(Inv.call(...cur), ctx.Or(...bads)), Err.call())), 'bad');
const t1=Date.now();
let r;
try { r = await fp.query(Err.call()); } catch(e) { r='ERR '+e.message; }
const ms=Date.now()-t0; total+=ms; fp.release();
console.log(String(ms).padStart(6), r, ts.vars.reduce((a,v)=>a+v.width,0)+'b', f);
}
console.log('total', total);
api.em.PThread.terminateAllThreads(); process.exit(0);
