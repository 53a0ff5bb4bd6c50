// createObservability: POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set per stage by
// serverless.yml) win over the built-in constants, which apply only when the variables are unset.
// The service name is read back from a captured log line, the namespace and the service
// dimension from the EMF document Powertools would print.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME, createObservability } from '../../functions/handlers/lib/observability.ts';
import type { Observability } from '../../functions/handlers/lib/observability.ts';

const KEYS = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_DEV'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function loggedService(obs: Observability): unknown {
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(chunk.toString());
    return true;
  }) as typeof process.stdout.write;
  try {
    obs.logger.info('probe');
  } finally {
    process.stdout.write = write;
  }
  const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'probe');
  assert.ok(line, `a log line; got ${lines.join('')}`);
  return line.service;
}

function emf(obs: Observability): { namespace: unknown; service: unknown } {
  obs.metrics.addMetric('Probe', MetricUnit.Count, 1);
  const doc = obs.metrics.serializeMetrics() as unknown as { _aws: { CloudWatchMetrics: Array<{ Namespace: string }> }; service?: string };
  obs.metrics.clearMetrics();
  return { namespace: doc._aws.CloudWatchMetrics[0]?.Namespace, service: doc.service };
}

describe('createObservability', () => {
  test('the stage environment wins over the constants', () => {
    delete process.env.POWERTOOLS_DEV;
    process.env.POWERTOOLS_SERVICE_NAME = 'transfer-reconciler-staging';
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'TransferReconciler/staging';
    const obs = createObservability();
    assert.equal(loggedService(obs), 'transfer-reconciler-staging');
    assert.deepEqual(emf(obs), { namespace: 'TransferReconciler/staging', service: 'transfer-reconciler-staging' });
  });

  test('unset or empty variables fall back to the constants', () => {
    delete process.env.POWERTOOLS_DEV;
    delete process.env.POWERTOOLS_SERVICE_NAME;
    process.env.POWERTOOLS_METRICS_NAMESPACE = '';
    const obs = createObservability();
    assert.equal(loggedService(obs), SERVICE_NAME);
    assert.deepEqual(emf(obs), { namespace: METRICS_NAMESPACE, service: SERVICE_NAME });
  });
});
