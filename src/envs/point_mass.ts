/**
 * What the 2-D point tasks share (MAML's navigation, PEARL's point robot): B points in the plane,
 * each with its task's goal, moved by a velocity and observed as their position `(x, y)`, or, for
 * the oracle, `(x, y, gx, gy)`. Each family keeps its own starts, clipping, rewards and ends.
 *
 * @module
 */

/** A task of a point family: where its goal is. */
export interface Goal {
  /** The goal's x coordinate. */
  readonly goalX: number;
  /** The goal's y coordinate. */
  readonly goalY: number;
}

/** B points, their tasks and step counts, and their observations. */
export interface PointMasses<T extends Goal> {
  /** Observations, `B × obsDim` (2, or 4 with the goal). */
  readonly obs: Float32Array;
  /** Gives slot `slot` its task. */
  setTask(slot: number, task: T): void;
  /** Puts slot `slot`'s point at `(x, y)`, its step count at 0, and observes it. */
  reset(slot: number, x: number, y: number): void;
  /**
   * Moves slot `i`'s point by `(vx, vy)` and observes it: its offset from the goal afterwards
   * and its steps so far in the episode.
   */
  move(i: number, vx: number, vy: number): { dx: number; dy: number; steps: number };
}

/** {@link PointMasses} for `size` slots, observing the goal when `oracle`. */
export function pointMasses<T extends Goal>(size: number, oracle: boolean): PointMasses<T> {
  const obsDim = oracle ? 4 : 2;
  const tasks: (T | undefined)[] = new Array(size);
  const pos = new Float64Array(size * 2);
  const t = new Int32Array(size);
  const obs = new Float32Array(size * obsDim);
  const taskOf = (slot: number): T => {
    const task = tasks[slot];
    if (task === undefined) throw new Error(`slot ${slot} has no task`);
    return task;
  };
  const observe = (slot: number) => {
    obs[slot * obsDim] = pos[slot * 2]!;
    obs[slot * obsDim + 1] = pos[slot * 2 + 1]!;
    if (!oracle) return;
    obs[slot * obsDim + 2] = tasks[slot]!.goalX;
    obs[slot * obsDim + 3] = tasks[slot]!.goalY;
  };
  return {
    obs,
    setTask(slot, task) {
      tasks[slot] = task;
    },
    reset(slot, x, y) {
      taskOf(slot);
      pos[slot * 2] = x;
      pos[slot * 2 + 1] = y;
      t[slot] = 0;
      observe(slot);
    },
    move(i, vx, vy) {
      const task = taskOf(i);
      const x = (pos[i * 2] = pos[i * 2]! + vx);
      const y = (pos[i * 2 + 1] = pos[i * 2 + 1]! + vy);
      observe(i);
      t[i] = t[i]! + 1;
      return { dx: x - task.goalX, dy: y - task.goalY, steps: t[i]! };
    },
  };
}
