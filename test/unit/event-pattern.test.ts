// EventBridge event-pattern matching (infra/local/pipeline/event-pattern.ts), the semantics of
// the EventBridge user guide's "content filtering" pages, case by case.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesPattern } from '../../infra/local/pipeline/event-pattern.ts';

const event = {
  source: 'aws.transfer',
  'detail-type': 'AWS API Call via CloudTrail',
  resources: ['arn:a', 'arn:b'],
  detail: {
    eventName: 'UpdateServer',
    count: 3,
    empty: '',
    nothing: null,
    userIdentity: { sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::1:role/Admin' } } },
    tags: [{ key: 'env' }, { key: 'team' }],
  },
};
const m = (pattern: Record<string, unknown>) => matchesPattern(pattern, event);

describe('event patterns', () => {
  test('values in an array are OR-ed; keys are AND-ed; unknown event fields are ignored', () => {
    assert.equal(m({ source: ['aws.ssm', 'aws.transfer'] }), true);
    assert.equal(m({ source: ['aws.ssm'] }), false);
    assert.equal(m({ source: ['aws.transfer'], detail: { eventName: ['StartServer'] } }), false);
    assert.equal(m({}), true);
  });
  test('numbers, null and the empty string match exactly, and are not interchangeable', () => {
    assert.equal(m({ detail: { count: [3] } }), true);
    assert.equal(m({ detail: { count: ['3'] } }), false);
    assert.equal(m({ detail: { nothing: [null] } }), true);
    assert.equal(m({ detail: { empty: [null] } }), false);
    assert.equal(m({ detail: { empty: [''] } }), true);
    assert.equal(m({ detail: { missing: [null] } }), false);
  });
  test('prefix, suffix, equals-ignore-case', () => {
    assert.equal(m({ source: [{ prefix: 'aws.' }] }), true);
    assert.equal(m({ source: [{ prefix: 'aws.s' }] }), false);
    assert.equal(m({ source: [{ suffix: '.transfer' }] }), true);
    assert.equal(m({ source: [{ 'equals-ignore-case': 'AWS.TRANSFER' }] }), true);
    assert.equal(m({ detail: { count: [{ prefix: '3' }] } }), false);
  });
  test('anything-but: a value, a list, a prefix; never a missing field', () => {
    assert.equal(m({ source: [{ 'anything-but': 'aws.ssm' }] }), true);
    assert.equal(m({ source: [{ 'anything-but': 'aws.transfer' }] }), false);
    assert.equal(m({ source: [{ 'anything-but': ['aws.ssm', 'aws.transfer'] }] }), false);
    assert.equal(m({ source: [{ 'anything-but': { prefix: 'aws.' } }] }), false);
    assert.equal(m({ source: [{ 'anything-but': { prefix: 'custom.' } }] }), true);
    assert.equal(m({ detail: { count: [{ 'anything-but': [1, 2] }] } }), true);
    assert.equal(m({ detail: { missing: [{ 'anything-but': 'x' }] } }), false);
  });
  test('exists true and false, nested and under a missing parent', () => {
    assert.equal(m({ detail: { eventName: [{ exists: true }] } }), true);
    assert.equal(m({ detail: { errorCode: [{ exists: true }] } }), false);
    assert.equal(m({ detail: { errorCode: [{ exists: false }] } }), true);
    assert.equal(m({ detail: { eventName: [{ exists: false }] } }), false);
    assert.equal(m({ detail: { nope: { deeper: [{ exists: false }] } } }), true);
    assert.equal(m({ detail: { nope: { deeper: [{ exists: true }] } } }), false);
  });
  test('nested objects must match where they are', () => {
    const issuer = (arn: unknown[]) => ({ detail: { userIdentity: { sessionContext: { sessionIssuer: { arn } } } } });
    assert.equal(m(issuer(['arn:aws:iam::1:role/Admin'])), true);
    assert.equal(m(issuer([{ 'anything-but': ['arn:aws:iam::1:role/Admin'] }])), false);
    assert.equal(m({ detail: { eventName: { nested: ['x'] } } }), false);
  });
  test('an array-valued event field matches when any element does (values and objects)', () => {
    assert.equal(m({ resources: ['arn:b', 'arn:z'] }), true);
    assert.equal(m({ resources: ['arn:z'] }), false);
    assert.equal(m({ detail: { tags: { key: ['team'] } } }), true);
    assert.equal(m({ detail: { tags: { key: ['owner'] } } }), false);
  });
  test('$or: one of the sub-patterns, AND-ed with the rest', () => {
    const or = { $or: [{ source: ['aws.ssm'] }, { detail: { count: [3] } }] };
    assert.equal(m(or), true);
    assert.equal(m({ ...or, 'detail-type': ['Scheduled Event'] }), false);
    assert.equal(m({ $or: [{ source: ['aws.ssm'] }, { detail: { count: [4] } }] }), false);
  });
  test('an operator it does not know is refused, not silently unmatched', () => {
    assert.throws(() => m({ detail: { count: [{ numeric: ['>', 0] }] } }), /unsupported/);
    assert.throws(() => m({ source: 'aws.transfer' }), /must be an array or an object/);
  });
});
