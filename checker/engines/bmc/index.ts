/** The Z3 bounded model checker: public surface for the pipeline. */
export { runBmc, BoundError, checkBound, type BmcOptions } from './run-bmc.js';
export { z3Version, shutdownSolver, warmSolver } from './solver.js';
export { parseEncoding, resolveEncoding, porFor, encodingName, EncodingError, DEFAULT_SELECTOR, DEFAULT_POR, type EncodingConfig } from './encode.js';
export { runBmcIsolated } from './isolated.js';
