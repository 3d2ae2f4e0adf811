export { extractModel } from '../../../model/frontend/index.js';
export { opOutcomes as opOutcomesOf } from '../../../model/vocabulary.js';
