// How the restart marker's writes appear in an outcome's `done` list (apply/apply-plan.ts describeStep).
import { RESTART_MARKER_KEY } from '../../functions/reconciler/plan/restart-marker.ts';

export { RESTART_MARKER_KEY };
export const SET_MARKER = `TagResource(${RESTART_MARKER_KEY})`;
export const REMOVE_MARKER = `UntagResource(${RESTART_MARKER_KEY})`;
