/** A deployment at the size the project supports: 30 regions, every one with its own thresholds. */
import { Template } from 'aws-cdk-lib/assertions';
import { validateConfig } from '../../core/config';
import { MAX_ACCESS_ROLES } from '../../core/config/access-schema';
import { constantsOfInlineCode } from '../../lib/function-factory';
import { CONFIG_CONSTANT, CONFIG_DIGEST_CONSTANT, deployedConfig } from '../../lambdas/shared/deployed-config';
import { manyRegionsConfigInput } from '../support/configs';
import { buildApp } from '../support/synth';

/** The config a function's compiled-in constants carry, checked against the digest compiled in beside it. */
const deployedConfigOf = (constants: Record<string, string>) =>
  deployedConfig(constants[CONFIG_CONSTANT], constants[CONFIG_DIGEST_CONSTANT]);

/** A template value with intrinsics replaced by strings as long as, or longer than, what they resolve to. */
function resolvedForLength(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvedForLength);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    if (key === 'Fn::Join') {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((part) => String(resolvedForLength(part))).join(separator);
    }
    if (key === 'Ref') return arg === 'AWS::AccountId' ? '123456789012' : arg === 'AWS::Partition' ? 'aws' : 'x'.repeat(64);
    // A role, table, topic or state machine ARN with a generated name: 140 characters is generous.
    if (key === 'Fn::GetAtt') return 'x'.repeat(140);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolvedForLength(v)]));
}

/** The template with each function's inline placeholder code replaced by an S3 reference like the one `cdk synth` writes for a bundle. */
function withBundledCode(json: Record<string, unknown>): unknown {
  const template = json as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  const bundled = { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: `${'0'.repeat(64)}.zip` };
  return {
    ...template,
    Resources: Object.fromEntries(
      Object.entries(template.Resources).map(([id, resource]) => [
        id,
        resource.Type === 'AWS::Lambda::Function' ? { ...resource, Properties: { ...resource.Properties, Code: bundled } } : resource,
      ]),
    ),
  };
}

type LambdaFunction = { Properties: { Code: { ZipFile: string }; Environment?: { Variables: Record<string, unknown> } } };

describe('a 30-region config with per-region overrides on every region', () => {
  const input = manyRegionsConfigInput(30);
  const result = validateConfig(input);

  it('validates, and is larger as JSON than a Lambda environment holds', () => {
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(input))).toBeGreaterThan(4096);
  });

  it('synthesizes, and each function that reads the config has it intact in its code, with a small environment', () => {
    if (!result.ok) throw new Error('the fixture must validate');
    const { stacks } = buildApp(result.config);
    expect(stacks.networks.size).toBe(30);
    // CloudFormation refuses a template over 1 MB (the deploy would fail, not the synth). The
    // workload manifests travel inside the state machine definitions, several times each, so
    // they are what grows the control stack's template. Measured as deployed: there each
    // function's code is an S3 reference to its bundle, where these stack tests write placeholder
    // code carrying the compiled-in constants (the config, the edge agent, the region table).
    const templateBytes = Buffer.byteLength(JSON.stringify(withBundledCode(Template.fromStack(stacks.control).toJSON())));
    expect(templateBytes).toBeLessThan(1_000_000);
    const functions = Object.entries(Template.fromStack(stacks.control).findResources('AWS::Lambda::Function')) as [
      string,
      LambdaFunction,
    ][];
    const withConfig = functions.filter(([, fn]) => CONFIG_CONSTANT in constantsOfInlineCode(fn.Properties.Code.ZipFile));
    expect(withConfig.map(([id]) => id)).toEqual([expect.stringMatching(/RegionOps/), expect.stringMatching(/Autoscaler/)]);
    for (const [, fn] of withConfig) {
      expect(deployedConfigOf(constantsOfInlineCode(fn.Properties.Code.ZipFile))).toEqual(result.config);
    }
    // Lambda's limit is 4 KB for all variables together; what is left there are ARNs and names.
    for (const [, fn] of functions) expect(JSON.stringify(fn.Properties.Environment?.Variables ?? {}).length).toBeLessThan(2048);

    // IAM refuses a role whose inline policies add up to more than 10,240 characters (whitespace
    // not counted): the deploy, not the synth, would fail. Counted as IAM receives them, with each
    // reference replaced by a value at least as long as the real one.
    const policies = Object.values(Template.fromStack(stacks.control).findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: unknown; Roles: unknown[] };
    }[];
    const charactersByRole = new Map<string, number>();
    for (const policy of policies) {
      const size = JSON.stringify(resolvedForLength(policy.Properties.PolicyDocument)).length;
      for (const role of policy.Properties.Roles) {
        const key = JSON.stringify(role);
        charactersByRole.set(key, (charactersByRole.get(key) ?? 0) + size);
      }
    }
    expect(charactersByRole.size).toBeGreaterThan(0);
    const oversized = [...charactersByRole].filter(([, size]) => size > 10_240);
    expect(oversized).toEqual([]);
  });

  it('keeps each managed policy under IAM’s 6,144 characters with the most people roles the config accepts', () => {
    // Role names as long as IAM allows (64 characters), under a path: the longest ARNs an operator can list.
    const arn = (kind: string, i: number) => `arn:aws:iam::123456789012:role/people/${`${kind}-${i}-`.padEnd(64, 'x')}`;
    const access = {
      adminRoleArns: Array.from({ length: MAX_ACCESS_ROLES }, (_, i) => arn('admin', i)),
      viewerRoleArns: Array.from({ length: MAX_ACCESS_ROLES }, (_, i) => arn('viewer', i)),
    };
    const withPeople = validateConfig({ ...input, access });
    if (!withPeople.ok) throw new Error(`the fixture must validate: ${JSON.stringify(withPeople.problems)}`);
    const { stacks } = buildApp(withPeople.config);
    const managed = Object.entries(Template.fromStack(stacks.control).findResources('AWS::IAM::ManagedPolicy')) as [
      string,
      { Properties: { PolicyDocument: unknown } },
    ][];
    const sizes = managed.map(([id, policy]) => [id, JSON.stringify(resolvedForLength(policy.Properties.PolicyDocument)).length] as const);
    expect(sizes.filter(([id]) => id.includes('PeopleAccess'))).toHaveLength(3);
    expect(sizes.filter(([, size]) => size > 6_144)).toEqual([]);
  });
});
