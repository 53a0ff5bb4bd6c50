// The worker's metrics carry the Trigger of the reconciles they count, and one batch mixes event and
// schedule reconciles (the alarms read Failed by Trigger and Blocked on the schedule's). So the
// worker sets no default Trigger (withObservability with none): every EMF line it writes gets its
// dimensions here. Overwriting a default dimension instead makes Powertools warn on the console on
// every batch ("Dimension … has already been added").
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Trigger } from '../../reconciler/types.ts';

/** Publishes what `add` stores as one EMF line with these dimensions (publishStoredMetrics clears them). */
export function publishLine(metrics: Metrics, dimensions: { Trigger: Trigger } & Record<string, string>, add: () => void): void {
  for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
  add();
  metrics.publishStoredMetrics();
}

/** The dimensions of the line the middleware flushes at the end of the invocation. */
export function lastLineDimensions(metrics: Metrics, trigger: Trigger): void {
  metrics.addDimension('Trigger', trigger);
}
