// Fault injection for the emulator: token-bucket throttling, error rates (500/503, or any code),
// dropped connections and latency, per scope (global, one service, one operation). Decided before the
// service logic runs, so a faulted call changes nothing. The dice come from a seeded PRNG, so a
// run with the same seed and the same sequence of calls sees the same faults. The configuration
// applies to every account-region, each with its own token buckets (AWS quotas are per account
// and region): `decide`'s `partition` names the account-region.
import { AwsError } from './aws-error.ts';
import { serviceModels } from './service-models.ts';
import type { ErrorRule, FaultConfig, FaultRule, LatencyRule, ServiceName, ThrottleRule } from './types.ts';

export type InjectedFault = 'throttle' | '500' | '503' | 'drop' | 'error';

export interface FaultDecision {
  fault?: InjectedFault;
  /** Latency to add before answering (or dropping). */
  delayMs: number;
  /** For throttles: when a token will be available again, rounded up to whole seconds (≥ 1). */
  retryAfterSeconds?: number;
  /** For `error`: the answer, ready to send. */
  error?: AwsError;
}

/** mulberry32: a small, fast, seedable PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Bucket {
  rule: ThrottleRule;
  tokens: number;
  at: number;
}

const DEFAULT_SEED = 1;
const PLANS_KEPT = 10_000;

/** What the configuration says for one operation in one account-region (fixed until `set`). */
interface Plan {
  scopes: Array<{ key: string; rule: FaultRule }>;
  latency?: LatencyRule;
  drop: number;
  e500: number;
  e503: number;
  /** The most specific scope's errors first. */
  errors: ErrorRule[];
  errorTotal: number;
}

export class FaultEngine {
  private current: FaultConfig = {};
  private buckets = new Map<string, Bucket>();
  /** Plans by account-region, service and operation; the configuration's figures, worked out once. */
  private plans = new Map<string, Plan>();
  private random: () => number = mulberry32(DEFAULT_SEED);
  private readonly now: () => number;

  constructor(config: FaultConfig = {}, now: () => number = () => performance.now()) {
    this.now = now;
    this.set(config);
  }

  get(): FaultConfig {
    return structuredClone(this.current);
  }

  /** Replaces the whole configuration; buckets refill and the dice restart from the seed. */
  set(config: FaultConfig): void {
    this.current = parseFaultConfig(config);
    this.buckets.clear();
    this.plans.clear();
    this.random = mulberry32(this.current.seed ?? DEFAULT_SEED);
  }

  decide(service: ServiceName, operation: string, partition = ''): FaultDecision {
    const plan = this.planOf(service, operation, partition);
    const decision: FaultDecision = { delayMs: this.latency(plan.latency) };
    const retryAfter = this.takeTokens(plan.scopes);
    if (retryAfter !== undefined) return { ...decision, fault: 'throttle', retryAfterSeconds: retryAfter };
    const { drop, e500, e503, errors, errorTotal } = plan;
    // No roll when nothing can fire, so that configurations without rates keep their dice sequence.
    if (drop + e500 + e503 + errorTotal === 0) return decision;
    const roll = this.random();
    if (roll < drop) return { ...decision, fault: 'drop' };
    if (roll < drop + e500) return { ...decision, fault: '500' };
    if (roll < drop + e500 + e503) return { ...decision, fault: '503' };
    // Each error takes the next `rate` of the roll; what lies beyond 1 never fires.
    let upTo = drop + e500 + e503;
    for (const rule of errors) {
      upTo += rule.rate;
      if (roll < upTo) return { ...decision, fault: 'error', error: injectedError(service, rule) };
    }
    return decision;
  }

  private planOf(service: ServiceName, operation: string, partition: string): Plan {
    const key = `${partition}\0${service}\0${operation}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      const scopes = this.scopes(service, operation, partition);
      // The most specific scope's errors come first, so they win the roll.
      const errors = [...scopes].reverse().flatMap((s) => s.rule.errors ?? []);
      plan = {
        scopes,
        drop: combined(scopes, (r) => r.dropRate),
        e500: combined(scopes, (r) => r.error500Rate),
        e503: combined(scopes, (r) => r.error503Rate),
        errors,
        errorTotal: errors.reduce((sum, e) => sum + e.rate, 0),
      };
      const latency = [...scopes].reverse().find((s) => s.rule.latency)?.rule.latency;
      if (latency) plan.latency = latency;
      if (this.plans.size >= PLANS_KEPT) this.plans.clear();
      this.plans.set(key, plan);
    }
    return plan;
  }

  /** The rules that apply to a call, most general first, each with its bucket key. */
  private scopes(service: ServiceName, operation: string, partition: string): Array<{ key: string; rule: FaultRule }> {
    const out: Array<{ key: string; rule: FaultRule }> = [];
    const c = this.current;
    if (c.global) out.push({ key: `${partition}|global`, rule: c.global });
    const svc = c.services?.[service];
    if (svc) out.push({ key: `${partition}|service:${service}`, rule: svc });
    const prefix = { transfer: 'TransferService', ec2: 'AmazonEC2', ssm: 'AmazonSSM', sqs: 'AmazonSQS' }[service];
    for (const name of [operation, `${prefix}.${operation}`]) {
      const rule = c.operations?.[name];
      if (rule) out.push({ key: `${partition}|operation:${name}`, rule });
    }
    return out;
  }

  private latency(rule: LatencyRule | undefined): number {
    if (!rule) return 0;
    return rule.fixedMs + (rule.jitterMs > 0 ? this.random() * rule.jitterMs : 0);
  }

  /** Every scope with a throttle rule must have a token; returns retry-after seconds when one has none. */
  private takeTokens(scopes: Array<{ key: string; rule: FaultRule }>): number | undefined {
    const now = this.now();
    const buckets: Bucket[] = [];
    for (const { key, rule } of scopes) {
      if (!rule.throttle) continue;
      let b = this.buckets.get(key);
      if (!b) {
        b = { rule: rule.throttle, tokens: rule.throttle.burst, at: now };
        this.buckets.set(key, b);
      }
      b.tokens = Math.min(b.rule.burst, b.tokens + ((now - b.at) / 1000) * b.rule.rate);
      b.at = now;
      buckets.push(b);
    }
    const empty = buckets.filter((b) => b.tokens < 1);
    if (empty.length > 0) {
      const waitS = Math.max(...empty.map((b) => (1 - b.tokens) / b.rule.rate));
      return Math.max(1, Math.ceil(waitS));
    }
    for (const b of buckets) b.tokens -= 1;
    return undefined;
  }
}

/**
 * The injected error in the service's wire shape: the message member is spelt as the service's
 * model spells it for that exception (SSM uses `message` for some), `Message` otherwise.
 */
export function injectedError(service: ServiceName, rule: ErrorRule): AwsError {
  const shapes = serviceModels[service].shapes;
  const members = (Object.hasOwn(shapes, rule.code) ? shapes[rule.code]?.members : undefined) ?? {};
  const messageKey = 'message' in members && !('Message' in members) ? 'message' : 'Message';
  return new AwsError(rule.code, rule.message ?? `Injected ${rule.code} (local emulator fault).`, { status: rule.status, messageKey });
}

/** Probability that at least one scope fires, each scope rolling independently. */
function combined(scopes: Array<{ rule: FaultRule }>, pick: (r: FaultRule) => number | undefined): number {
  let none = 1;
  for (const { rule } of scopes) none *= 1 - (pick(rule) ?? 0);
  return 1 - none;
}

const RULE_KEYS = ['throttle', 'error500Rate', 'error503Rate', 'latency', 'dropRate', 'errors'];

/** Checks a FaultConfig from a file or a control request; throws Error naming the bad member. */
export function parseFaultConfig(value: unknown): FaultConfig {
  const cfg = object(value, 'faults');
  onlyKeys(cfg, ['global', 'services', 'operations', 'seed'], 'faults');
  const out: FaultConfig = {};
  if (cfg.global !== undefined) out.global = parseRule(cfg.global, 'global');
  if (cfg.services !== undefined) {
    const services = object(cfg.services, 'services');
    onlyKeys(services, ['transfer', 'ssm', 'ec2', 'sqs'], 'services');
    out.services = {};
    for (const [name, rule] of Object.entries(services)) out.services[name as ServiceName] = parseRule(rule, `services.${name}`);
  }
  if (cfg.operations !== undefined) {
    out.operations = {};
    for (const [name, rule] of Object.entries(object(cfg.operations, 'operations')))
      out.operations[name] = parseRule(rule, `operations.${name}`);
  }
  if (cfg.seed !== undefined) {
    if (typeof cfg.seed !== 'number' || !Number.isInteger(cfg.seed)) throw new Error('faults.seed must be an integer');
    out.seed = cfg.seed;
  }
  return out;
}

function parseRule(value: unknown, where: string): FaultRule {
  const r = object(value, where);
  onlyKeys(r, RULE_KEYS, where);
  const out: FaultRule = {};
  if (r.throttle !== undefined) {
    const t = object(r.throttle, `${where}.throttle`);
    onlyKeys(t, ['rate', 'burst'], `${where}.throttle`);
    out.throttle = {
      rate: num(t.rate, `${where}.throttle.rate`, 0, Infinity, false),
      burst: num(t.burst, `${where}.throttle.burst`, 1, Infinity),
    };
  }
  for (const key of ['error500Rate', 'error503Rate', 'dropRate'] as const) {
    if (r[key] !== undefined) out[key] = num(r[key], `${where}.${key}`, 0, 1);
  }
  if (r.latency !== undefined) {
    const l = object(r.latency, `${where}.latency`);
    onlyKeys(l, ['fixedMs', 'jitterMs'], `${where}.latency`);
    out.latency = {
      fixedMs: num(l.fixedMs ?? 0, `${where}.latency.fixedMs`, 0, Infinity),
      jitterMs: num(l.jitterMs ?? 0, `${where}.latency.jitterMs`, 0, Infinity),
    };
  }
  if (r.errors !== undefined) out.errors = parseErrors(r.errors, `${where}.errors`);
  return out;
}

function parseErrors(value: unknown, where: string): ErrorRule[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
  const out = value.map((item: unknown, i): ErrorRule => {
    const at = `${where}[${i}]`;
    const e = object(item, at);
    onlyKeys(e, ['code', 'status', 'rate', 'message'], at);
    // An error code as AWS puts it in __type: a name, no spaces (the SDK turns it into the exception's name).
    if (typeof e.code !== 'string' || !/^[A-Za-z][A-Za-z0-9_.]*$/.test(e.code))
      throw new Error(`${at}.code must be an error code such as AccessDeniedException`);
    const status = num(e.status, `${at}.status`, 400, 599);
    if (!Number.isInteger(status)) throw new Error(`${at}.status must be an integer HTTP status from 400 to 599`);
    const rule: ErrorRule = { code: e.code, status, rate: num(e.rate, `${at}.rate`, 0, 1) };
    if (e.message !== undefined) {
      if (typeof e.message !== 'string') throw new Error(`${at}.message must be a string`);
      rule.message = e.message;
    }
    return rule;
  });
  if (out.reduce((sum, e) => sum + e.rate, 0) > 1) throw new Error(`${where}: the rates add up to more than 1`);
  return out;
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, allowed: string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new Error(`${where}.${key} is not a known setting (allowed: ${allowed.join(', ')})`);
  }
}

function num(value: unknown, where: string, min: number, max: number, minInclusive = true): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (minInclusive ? value >= min : value > min) && value <= max;
  if (!ok) throw new Error(`${where} must be a number ${minInclusive ? '≥' : '>'} ${min}${max === Infinity ? '' : ` and ≤ ${max}`}`);
  return value as number;
}
