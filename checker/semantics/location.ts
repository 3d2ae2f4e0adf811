/**
 * Where a transition can fire, read from what the compiler recorded
 * (Transition.from) rather than from the shape of its guard.
 */

import type { PcRef, Transition } from './system.js';

/**
 * The location `t` fires from, or undefined when its guard is `false`: such
 * a transition never fires (the compiler keeps it so schedules and dumps
 * show the site), so indexes by location leave it out.
 */
export function firesFrom(t: Transition): PcRef | undefined {
  return t.guard.k === 'false' ? undefined : t.from;
}
