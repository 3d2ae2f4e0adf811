// scratch
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../checker/semantics/compile.js';
import { FAMILIES } from './families/index.js';
import { dumpSystemText } from '../checker/semantics/dump.js';
const [fam, n] = [process.argv[2], Number(process.argv[3])];
const f = FAMILIES.find((x) => x.name === fam)!;
const ts = compileSystem(f.build(n), DEFAULT_SEMANTIC_OPTIONS, () => [{ kind: 'deadlock', rule: 'deadlock', check: 'deadlock' }]);
console.log(dumpSystemText(ts));
