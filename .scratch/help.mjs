import { init } from 'z3-solver';
const api = await init(); const ctx = new api.Context('x'); const fp = new ctx.Fixedpoint();
console.log(fp.help()); api.em.PThread.terminateAllThreads(); process.exit(0);
