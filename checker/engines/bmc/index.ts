/** The Z3 bounded model checker: public surface for the pipeline. */
export { runBmc, BoundError, checkBound, type BmcOptions } from './run-bmc.js';
export { realiseCycle, type CycleAcquisition, type RealiseResult, type RealiseOptions } from './realise.js';
export { z3Version, shutdownSolver } from './solver.js';
export { parseEncoding, encodingName, EncodingError, DEFAULT_ENCODING, type EncodingConfig } from './encode.js';
