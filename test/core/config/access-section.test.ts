import { validateConfig } from '../../../core/config';
import { minimalConfigInput, validConfig } from '../../support/configs';

type Input = Record<string, unknown> & { homeRegion: string };

function problemsOf(change: (input: Input) => void): { path: string; message: string }[] {
  const input = minimalConfigInput() as unknown as Input;
  change(input);
  const result = validateConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems.map((p) => ({ path: p.path, message: p.message }));
}

const role = (name: string, partition = 'aws') => `arn:${partition}:iam::123456789012:role/${name}`;

describe('the access section', () => {
  it('defaults to no people roles', () => {
    expect(validConfig().access).toEqual({ adminRoleArns: [], viewerRoleArns: [] });
  });

  it('accepts role ARNs, with a path', () => {
    const config = validConfig((input) =>
      Object.assign(input, { access: { adminRoleArns: [role('ops/cdn-admins')], viewerRoleArns: [role('cdn-viewers')] } }),
    );
    expect(config.access.adminRoleArns).toEqual([role('ops/cdn-admins')]);
  });

  it('refuses what is not a role ARN, naming the field', () => {
    const problems = problemsOf((input) => {
      input.access = { viewerRoleArns: ['arn:aws:iam::123456789012:user/alice'] };
    });
    expect(problems).toEqual([{ path: '$.access.viewerRoleArns[0]', message: expect.stringContaining('expected an IAM role ARN') }]);
  });

  it('refuses a role of another partition than the home region deploys to', () => {
    const problems = problemsOf((input) => {
      input.access = { adminRoleArns: [role('cdn-admins', 'aws-cn')] };
    });
    expect(problems).toEqual([{ path: '$.access.adminRoleArns[0]', message: expect.stringContaining('deploys to partition aws') }]);
  });

  it('refuses a role listed twice', () => {
    const problems = problemsOf((input) => {
      input.access = { adminRoleArns: [role('a'), role('a')] };
    });
    expect(problems).toEqual([
      { path: '$.access.adminRoleArns[1]', message: expect.stringContaining('listed twice (also at access.adminRoleArns[0])') },
    ]);
  });

  it('refuses a role that is both admin and viewer', () => {
    const problems = problemsOf((input) => {
      input.access = { adminRoleArns: [role('a')], viewerRoleArns: [role('b'), role('a')] };
    });
    expect(problems).toEqual([{ path: '$.access.viewerRoleArns[1]', message: expect.stringContaining('either an admin or a viewer') }]);
  });

  it('refuses more roles than the IAM policy can name', () => {
    const problems = problemsOf((input) => {
      input.access = { viewerRoleArns: Array.from({ length: 21 }, (_, i) => role(`v${i}`)) };
    });
    expect(problems).toEqual([{ path: '$.access.viewerRoleArns', message: expect.stringContaining('at most 20 roles') }]);
  });
});
