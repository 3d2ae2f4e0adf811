const { reachability } = await import('/work/main/dist/checker/engines/bmc/fixpoint.js');
const { freshContext, withSolver, shutdownSolver } = await import('/work/main/dist/checker/engines/bmc/solver.js');
const { familySystem } = await import('/work/main/dist/bench/families/index.js');
const n = Number(process.argv[3] ?? 4);
const ts = familySystem(process.argv[2] ?? 'reclaim-fix', n);
const t = Date.now();
const out = await withSolver(async () => reachability(await freshContext(), ts, { goals: [0], timeoutMs: 60000 }), { retry: false });
console.log(JSON.stringify(out), Date.now() - t, 'ms', Math.round(process.memoryUsage().rss/1e6), 'MB rss');
await shutdownSolver(); process.exit(0);
