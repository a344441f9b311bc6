import { Command } from 'commander';
import { configOption, regionOption, required, checkRequiredOptions } from '../../cli/shared-options';

/** A throwaway command with the shared options, parsed as commander would for a real one. */
function parse(args: string[]): { values: Record<string, unknown>; errors: string } {
  let errors = '';
  const command = new Command('probe')
    .exitOverride()
    .configureOutput({ writeErr: (text) => (errors += text), writeOut: () => undefined })
    .addOption(required(configOption()))
    .addOption(regionOption('the region to act on'))
    .hook('preAction', (_self, action) => checkRequiredOptions(action))
    .action(() => undefined);
  try {
    command.parse(args, { from: 'user' });
  } catch {
    // the message is in errors
  }
  return { values: command.opts(), errors };
}

describe('shared options', () => {
  it('takes an existing --config and a catalog --region', () => {
    expect(parse(['--config', __filename, '--region', 'eu-west-1']).values).toEqual({ config: __filename, region: 'eu-west-1' });
  });

  it('refuses a mistyped region, suggesting the real code', () => {
    expect(parse(['--config', __filename, '--region', 'eu-wst-1']).errors).toContain(
      'error: option \'--region <code>\' argument \'eu-wst-1\' is invalid. "eu-wst-1" is not an AWS region code; did you mean "eu-west-1"?',
    );
  });

  it('refuses a --config given twice, and one not given at all', () => {
    expect(parse(['--config', __filename, '--config', __filename]).errors).toContain('the option is given more than once');
    expect(parse(['--region', 'eu-west-1']).errors).toContain("error: required option '--config <regions.json>' not specified");
  });
});
