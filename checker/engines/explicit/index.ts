/** The explicit-state engine: BFS over the transition system, optional lock-aware partial-order reduction. */
export { exploreExplicit, exploreExplicitDetailed, type ExplicitOptions, type ExplicitDetail } from './explore.js';
