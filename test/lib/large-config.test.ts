/** A deployment at the size the project supports: 30 regions, every one with its own thresholds. */
import { Template } from 'aws-cdk-lib/assertions';
import { validateConfig } from '../../core/config';
import { constantsOfInlineCode } from '../../lib/function-factory';
import { CONFIG_CONSTANT, deployedConfig } from '../../lambdas/shared/deployed-config';
import { manyRegionsConfigInput } from '../support/configs';
import { buildApp } from '../support/synth';

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
    const functions = Object.entries(Template.fromStack(stacks.control).findResources('AWS::Lambda::Function')) as [
      string,
      LambdaFunction,
    ][];
    const withConfig = functions.filter(([, fn]) => CONFIG_CONSTANT in constantsOfInlineCode(fn.Properties.Code.ZipFile));
    expect(withConfig.map(([id]) => id)).toEqual([expect.stringMatching(/RegionOps/), expect.stringMatching(/Autoscaler/)]);
    for (const [, fn] of withConfig) {
      expect(deployedConfig(constantsOfInlineCode(fn.Properties.Code.ZipFile)[CONFIG_CONSTANT])).toEqual(result.config);
    }
    // Lambda's limit is 4 KB for all variables together; what is left there are ARNs and names.
    for (const [, fn] of functions) expect(JSON.stringify(fn.Properties.Environment?.Variables ?? {}).length).toBeLessThan(2048);
  });
});
