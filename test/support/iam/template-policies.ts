/**
 * The identity policies of one role in a synthesized template, with CloudFormation intrinsics
 * resolved to the simulated account (us-east-1, partition aws, ACCOUNT_ID).
 *
 * Resources are named by their logical id, as the workflow harness names them when it resolves
 * the state machine definitions (test/support/asl-runner.ts), so the ARNs in the calls a test
 * records and the ARNs in the policies agree.
 */
import { ACCOUNT_ID } from '../simulated-aws/world';

export const SIMULATED_REGION = 'us-east-1';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, TemplateResource>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Record<string, unknown>[];
}

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

/**
 * AWS managed policies a role in the template may carry. AWSLambdaBasicExecutionRole is modelled
 * as AWS publishes it (a function writing its own logs); any other one fails the lookup, so a new
 * managed policy on a checked role is noticed rather than silently skipped.
 */
const AWS_MANAGED_POLICIES: Record<string, PolicyDocument> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': SIMULATED_REGION,
  'AWS::AccountId': ACCOUNT_ID,
  'AWS::URLSuffix': 'amazonaws.com',
  // The stack the template is deployed as (the control stack in these tests).
  'AWS::StackId': `arn:aws:cloudformation:${SIMULATED_REGION}:${ACCOUNT_ID}:stack/kubecdn-control/00000000-0000-4000-8000-000000000000`,
};

function physicalName(id: string, resource: TemplateResource): string {
  if (resource.Type === 'AWS::Logs::LogGroup') return (resource.Properties?.LogGroupName as string | undefined) ?? id;
  return id;
}

function arnOf(id: string, resource: TemplateResource): string {
  const name = physicalName(id, resource);
  const regional = (service: string, resourcePart: string) => `arn:aws:${service}:${SIMULATED_REGION}:${ACCOUNT_ID}:${resourcePart}`;
  switch (resource.Type) {
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
    case 'AWS::IAM::ManagedPolicy':
      return `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;
    case 'AWS::Lambda::Function':
      return regional('lambda', `function:${name}`);
    case 'AWS::DynamoDB::Table':
      return regional('dynamodb', `table/${name}`);
    case 'AWS::KMS::Key':
      return regional('kms', `key/${name}`);
    case 'AWS::SNS::Topic':
      return regional('sns', name);
    case 'AWS::StepFunctions::StateMachine':
      return regional('states', `stateMachine:${name}`);
    case 'AWS::Logs::LogGroup':
      return regional('logs', `log-group:${name}:*`);
    default:
      throw new Error(`cannot name the ARN of ${id}, a ${resource.Type}`);
  }
}

/** What `Ref` returns for a resource: an ARN for topics, state machines and managed policies, else the name. */
function refOf(id: string, resource: TemplateResource): string {
  if (['AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine', 'AWS::IAM::ManagedPolicy'].includes(resource.Type))
    return arnOf(id, resource);
  return physicalName(id, resource);
}

export function resolveIntrinsics(value: unknown, template: CfnTemplate): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, template));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && (entries[0]![0].startsWith('Fn::') || entries[0]![0] === 'Ref')) {
    const [key, arg] = entries[0]!;
    const resource = (id: string) => {
      const found = template.Resources[id];
      if (!found) throw new Error(`the template has no resource ${id}`);
      return found;
    };
    switch (key) {
      case 'Ref':
        return PSEUDO_PARAMETERS[arg as string] ?? refOf(arg as string, resource(arg as string));
      case 'Fn::GetAtt': {
        const [id, attribute] = arg as [string, string];
        if (attribute !== 'Arn') throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
        return arnOf(id, resource(id));
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolveIntrinsics(parts, template) as string[]).join(separator);
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return (resolveIntrinsics(source, template) as string).split(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [number, unknown];
        return (resolveIntrinsics(list, template) as unknown[])[index];
      }
      default:
        throw new Error(`cannot resolve ${key}`);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, template)]));
}

export function roleArn(template: CfnTemplate, roleId: string): string {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role in the template`);
  return arnOf(roleId, role);
}

const attachedTo = (resource: TemplateResource, roleId: string): boolean =>
  ((resource.Properties?.Roles as unknown[] | undefined) ?? []).some((r) => (r as { Ref?: string }).Ref === roleId);

/**
 * Every identity policy in effect for the role: its inline AWS::IAM::Policy resources and
 * `Policies`, its customer managed policies (attached either way) and the AWS managed ones above.
 */
export function identityPolicies(template: CfnTemplate, roleId: string): NamedPolicy[] {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role in the template`);
  const found: NamedPolicy[] = [];
  const add = (name: string, document: unknown) => found.push({ name, policy: resolveIntrinsics(document, template) as PolicyDocument });
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::IAM::Policy' && attachedTo(resource, roleId)) add(id, resource.Properties!.PolicyDocument);
    if (resource.Type === 'AWS::IAM::ManagedPolicy' && attachedTo(resource, roleId)) add(id, resource.Properties!.PolicyDocument);
  }
  for (const inline of (role.Properties?.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? [])
    add(`${roleId}/${inline.PolicyName}`, inline.PolicyDocument);
  for (const managed of (role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? []) {
    const ref = (managed as { Ref?: string }).Ref;
    if (ref && template.Resources[ref]?.Type === 'AWS::IAM::ManagedPolicy') {
      if (!attachedTo(template.Resources[ref]!, roleId)) add(ref, template.Resources[ref]!.Properties!.PolicyDocument);
      continue;
    }
    const arn = resolveIntrinsics(managed, template) as string;
    const document = AWS_MANAGED_POLICIES[arn];
    if (!document) throw new Error(`${roleId} carries the AWS managed policy ${arn}, which the checker does not model`);
    found.push({ name: arn, policy: document });
  }
  return found;
}

/** The key policy of a KMS key in the template, by the key's ARN as resolveIntrinsics names it. */
export function keyPolicy(template: CfnTemplate, keyArn: string): PolicyDocument | undefined {
  for (const [id, resource] of Object.entries(template.Resources))
    if (resource.Type === 'AWS::KMS::Key' && arnOf(id, resource) === keyArn)
      return resolveIntrinsics(resource.Properties!.KeyPolicy, template) as PolicyDocument;
  return undefined;
}

/** The logical id of the one resource of `type` whose id contains `part` (the ids CDK makes from construct paths). */
export function logicalId(template: CfnTemplate, type: string, part: string): string {
  const ids = Object.entries(template.Resources)
    .filter(([id, r]) => r.Type === type && id.includes(part))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} with "${part}" in its id, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

/** The role a state machine or Lambda function runs as. */
export function roleOf(template: CfnTemplate, resourceId: string): string {
  const properties = template.Resources[resourceId]?.Properties ?? {};
  const role = (properties.RoleArn ?? properties.Role) as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const id = role?.['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`${resourceId} has no role of this template`);
  return id;
}

/** The KMS key a topic is encrypted with, as an ARN (resolveIntrinsics naming). */
export function topicKeyArn(template: CfnTemplate, topicArn: string): string | undefined {
  for (const [id, resource] of Object.entries(template.Resources))
    if (resource.Type === 'AWS::SNS::Topic' && arnOf(id, resource) === topicArn)
      return resolveIntrinsics(resource.Properties?.KmsMasterKeyId, template) as string | undefined;
  return undefined;
}
