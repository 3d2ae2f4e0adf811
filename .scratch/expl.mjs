import { readFileSync } from 'node:fs';
const { exploreExplicit } = await import('/work/main/dist/checker/engines/explicit/index.js');
const ts = JSON.parse(readFileSync(process.argv[2],'utf8'));
for (const reduction of ['none','por']) { const t=Date.now(); const r = exploreExplicit(ts, { timeoutMs: 60000, maxMemoryMb: 2048, reduction }); console.log(reduction, Date.now()-t, 'ms', JSON.stringify(r.stats)); }
