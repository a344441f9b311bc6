import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWN_CODE_SOURCE_MAP_SCRIPT } from '../../lib/function-factory';
import { ownCodeSourceMap } from '../../lib/own-code-source-map';
import { decodeMappings, encodeMappings } from '../../lib/source-map-mappings';

const SOURCES = [
  '../../lambdas/autoscaler/handler.ts',
  '../../node_modules/@aws-sdk/client-sns/dist-es/SNSClient.js',
  '../../core/regions.ts',
];
const NAMES = ['handler', 'SNSClient', 'send', 'nearestRegion'];

/** One generated line: our handler, two stretches of the SDK, our core code, the SDK again. */
const MAP = {
  version: 3,
  sources: SOURCES,
  sourcesContent: null,
  names: NAMES,
  mappings: encodeMappings([
    [
      [0, 0, 10, 2, 0],
      [40, 1, 100, 0, 1],
      [60, 1, 120, 4, 2],
      [80, 2, 7, 9, 3],
      [95, 2, 8, 0],
      [120, 1, 130, 0],
    ],
    [[0, 1, 140, 0]],
  ]),
};

describe('the own-code source map', () => {
  it('keeps our sources and their mappings and names, renumbered, and drops what is under node_modules', () => {
    const own = ownCodeSourceMap(MAP);
    expect(own.sources).toEqual(['../../lambdas/autoscaler/handler.ts', '../../core/regions.ts']);
    expect(own.names).toEqual(['handler', 'nearestRegion']);
    expect(decodeMappings(own.mappings)).toEqual([
      [
        [0, 0, 10, 2, 0],
        // The SDK's code from column 40 maps to nothing (one mark for both of its stretches), not to the handler before it.
        [40],
        [80, 1, 7, 9, 1],
        [95, 1, 8, 0],
        [120],
      ],
      // Still unmapped from the line before: no second mark.
      [],
    ]);
    expect(Object.keys(own)).toEqual(['version', 'sources', 'names', 'mappings']);
  });

  it('refuses a map it cannot read, naming the field', () => {
    expect(() => ownCodeSourceMap({ ...MAP, version: 2 }, 'index.js.map')).toThrow('index.js.map: version: expected 3, got 2');
    expect(() => ownCodeSourceMap({ ...MAP, sources: 'a.ts' })).toThrow('source map: sources: expected an array of strings');
    expect(() => ownCodeSourceMap({ ...MAP, mappings: 'A!' })).toThrow('"!" at character 1 is not base64');
    expect(() => ownCodeSourceMap(null)).toThrow('source map: expected a JSON object');
  });

  describe('as the command CDK runs after esbuild', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kubecdn-own-map-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const run = (...args: string[]) => spawnSync(process.execPath, [OWN_CODE_SOURCE_MAP_SCRIPT, ...args], { encoding: 'utf8' });

    it('rewrites the map file in place', () => {
      const file = join(dir, 'index.js.map');
      writeFileSync(file, JSON.stringify(MAP));
      const result = run(file);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(ownCodeSourceMap(MAP));
    });

    it('fails the bundling, naming the file, on a map it cannot read or a missing one', () => {
      const file = join(dir, 'index.js.map');
      writeFileSync(file, '{"version":3,');
      expect(run(file)).toMatchObject({ status: 1, stderr: expect.stringContaining(`own-code-source-map: ${file}: `) });
      expect(run(join(dir, 'missing.map'))).toMatchObject({ status: 1, stderr: expect.stringContaining('missing.map: ENOENT') });
      expect(run()).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: node lib/own-code-source-map.js') });
    });
  });
});
