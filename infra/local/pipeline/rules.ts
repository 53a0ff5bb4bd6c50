// The router's EventBridge rules, exactly as deployed: the patterns of infra/aws/event-rules.json
// (serverless.yml's `${file(infra/aws/event-rules.json):<name>}`), bundled at build time (the JSON
// import) so the packed CLI reads nothing from the repository. Their serverless variables are
// resolved as the deployment resolves them: `${param:desiredStatePath}` / `${param:hostKeyPath}`
// from the handler config (its prefixes are those paths plus "/"), the worker role's ARN for
// `{"Fn::GetAtt": ["WorkerRole", "Arn"]}`.
import rules from '../../aws/event-rules.json' with { type: 'json' };
import type { HandlerConfig } from '../../../functions/handlers/lib/config.ts';
import { matchesPattern } from './event-pattern.ts';
import type { Pattern } from './event-pattern.ts';

export interface Rule {
  name: string;
  pattern: Pattern;
}

export const RULE_NAMES: readonly string[] = Object.keys(rules);

function resolve(value: unknown, params: Record<string, string>, workerRoleArn: string): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{param:([A-Za-z0-9]+)\}/g, (_, name: string) => {
      const v = params[name];
      if (v === undefined) throw new Error(`event rule uses \${param:${name}}, which the local pipeline does not know`);
      return v;
    });
  if (Array.isArray(value)) return value.map((v) => resolve(v, params, workerRoleArn));
  if (typeof value === 'object' && value !== null) {
    const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
    if (getAtt !== undefined) {
      if (JSON.stringify(getAtt) !== '["WorkerRole","Arn"]')
        throw new Error(`event rule uses an unknown Fn::GetAtt: ${JSON.stringify(getAtt)}`);
      return workerRoleArn;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, params, workerRoleArn)]));
  }
  return value;
}

/** The deployed rules with their variables resolved for this config and worker role. */
export function loadRules(config: Pick<HandlerConfig, 'prefix' | 'hostKeyPrefix'>, workerRoleArn: string): Rule[] {
  const params = { desiredStatePath: config.prefix.replace(/\/$/, ''), hostKeyPath: config.hostKeyPrefix.replace(/\/$/, '') };
  return Object.entries(rules).map(([name, pattern]) => ({ name, pattern: resolve(pattern, params, workerRoleArn) as Pattern }));
}

/** The names of the rules an event matches (EventBridge invokes the target once per matching rule). */
export function matchingRules(rules: readonly Rule[], event: unknown): string[] {
  return rules.filter((r) => matchesPattern(r.pattern, event)).map((r) => r.name);
}

/**
 * A spoke's forwarding rule (infra/aws/spoke/template.yml ForwardApiCalls): the router's
 * serverApiCalls with the spoke role's ARN in that account in place of the hub's WorkerRole, as
 * test/e2e/spoke-template.test.ts pins it. An event of another account reaches the hub's bus only
 * when it matches: the worker's own writes in a spoke (spoke-role sessions) never leave it.
 */
export function spokeForwarding(
  config: Pick<HandlerConfig, 'prefix' | 'hostKeyPrefix'>,
  spokeRoleArnOf: (accountId: string) => string,
): (event: object & { account?: unknown }) => boolean {
  const byAccount = new Map<string, Pattern>();
  return (event) => {
    const account = typeof event.account === 'string' ? event.account : '';
    let pattern = byAccount.get(account);
    if (pattern === undefined) {
      const rule = loadRules(config, spokeRoleArnOf(account)).find((r) => r.name === 'serverApiCalls');
      if (rule === undefined) throw new Error('infra/aws/event-rules.json has no serverApiCalls rule');
      pattern = rule.pattern;
      byAccount.set(account, pattern);
    }
    return matchesPattern(pattern, event);
  };
}
