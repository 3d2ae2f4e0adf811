import { readFileSync, readdirSync } from 'node:fs';
const { runBmc } = await import('/work/main/dist/checker/engines/bmc/run-bmc.js');
const { shutdownSolver } = await import('/work/main/dist/checker/engines/bmc/solver.js');
const dir='/tmp/lmc/sys';
const files = readdirSync(dir).sort();
const rounds = Number(process.argv[2] ?? 1);
for (let r=0;r<rounds;r++) for (const f of files) {
  const ts = JSON.parse(readFileSync(dir+'/'+f,'utf8'));
  const t=Date.now(); const c0=process.cpuUsage();
  const res = await runBmc(ts, { timeoutMs: 20000, mode:'prove' });
  if (process.env.GC) globalThis.gc(); const ms=Date.now()-t; const cu=process.cpuUsage(c0); const cpu=(cu.user+cu.system)/1000;
  const inc = res.results.filter(x=>x.status==='inconclusive');
  if (f.includes('amdgpu')) console.log(r, 'rss', Math.round(process.memoryUsage().rss/1e6)); if (ms > 4000 || inc.length) console.log(r, f, ms, 'ms wall', Math.round(cpu), 'ms main-cpu', inc.length ? JSON.stringify(inc[0].limit) : '');
}
console.log('done'); await shutdownSolver(); process.exit(0);
