const { exploreExplicitDetailed, exploreExplicit } = await import('/work/main/dist/checker/engines/explicit/index.js');
const { familySystem } = await import('/work/main/dist/bench/families/index.js');
const ts = familySystem(process.argv[2] ?? 'reclaim-fix', Number(process.argv[3] ?? 2));
for (let i=0;i<6;i++){ const t=performance.now(); const r=exploreExplicit(ts,{timeoutMs:60000,maxMemoryMb:2048,reduction:'none'}); console.log((performance.now()-t).toFixed(1),'ms', r.stats.states); }
