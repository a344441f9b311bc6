import { join } from 'node:path';
import { main } from '../../cli/main';
import type { CommandIo } from '../../cli/io';
import { minimalConfigInput, writeConfigFile } from '../support/configs';

function capture(): CommandIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), stdout: () => out, stderr: () => err };
}

describe('kubecdn validate', () => {
  it('accepts a valid file and summarises it', async () => {
    const io = capture();
    const file = writeConfigFile(minimalConfigInput());
    expect(await main(['validate', file], io)).toBe(0);
    expect(io.stdout()).toBe(
      `${file}: valid: 1 always-on and 2 scalable region(s) (us-east-1, eu-west-1, ap-northeast-1); control plane in us-east-1\n`,
    );
  });

  it('exits 1 and lists every problem with its JSON path when the file is invalid', async () => {
    const io = capture();
    const file = writeConfigFile({ ...minimalConfigInput(), scalable: ['ap-sout-1', 'eu-wst-1'] });
    expect(await main(['validate', file], io)).toBe(1);
    expect(io.stderr()).toContain(`${file}: $.scalable[0]: "ap-sout-1" is not an AWS region code; did you mean "ap-south-1"?`);
    expect(io.stderr()).toContain(`${file}: $.scalable[1]: "eu-wst-1" is not an AWS region code; did you mean "eu-west-1"?`);
    expect(io.stderr()).toContain('2 problem(s) found.');
  });

  it('prints the verdict as JSON with --json', async () => {
    const io = capture();
    const file = writeConfigFile(minimalConfigInput());
    expect(await main(['validate', '--json', file], io)).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual({
      file,
      valid: true,
      homeRegion: 'us-east-1',
      alwaysOn: ['us-east-1'],
      scalable: ['eu-west-1', 'ap-northeast-1'],
    });
  });

  it('checks config/regions.json when no path is given', async () => {
    const io = capture();
    const cwd = process.cwd();
    process.chdir(join(__dirname, '..', '..'));
    try {
      expect(await main(['validate'], io)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(io.stdout()).toMatch(/^config\/regions\.json: valid/);
  });

  it('exits 2 with a pointer to the help on an unknown flag or too many paths', async () => {
    const io = capture();
    expect(await main(['validate', '--strict'], io)).toBe(2);
    expect(await main(['validate', 'a.json', 'b.json'], io)).toBe(2);
    expect(io.stderr()).toContain("error: unknown option '--strict'");
    expect(io.stderr()).toContain("error: too many arguments for 'validate'. Expected 1 argument but got 2: a.json, b.json.");
    expect(io.stderr()).toContain('(add --help for usage)');
  });

  it('exits 2 on an unknown command', async () => {
    const io = capture();
    expect(await main(['deploy'], io)).toBe(2);
    expect(io.stderr()).toContain("error: unknown command 'deploy'");
  });
});
