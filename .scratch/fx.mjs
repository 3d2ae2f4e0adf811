import { readFileSync } from 'node:fs';
const { reachability, casesOf, pinnedBy } = await import('/work/main/dist/checker/engines/bmc/fixpoint.js');
const { freshContext, withSolver, shutdownSolver } = await import('/work/main/dist/checker/engines/bmc/solver.js');
const ts = JSON.parse(readFileSync(process.argv[2],'utf8'));
let rules=0; for (const t of ts.transitions) rules += casesOf(ts, t, pinnedBy(t.guard)).length;
const t0=Date.now();
const out = await withSolver(async () => reachability(await freshContext(), ts, { goals: ts.properties.map((_,i)=>i), timeoutMs: 60000 }), { retry: false });
console.log('rules', rules, 'T', ts.transitions.length, Date.now()-t0, 'ms', JSON.stringify(out).slice(0,80));
await shutdownSolver(); process.exit(0);
