import { gzipSync } from 'node:zlib';
import { AGENT_CONSTANT, edgeFilesConstants, edgeFilesFromConstants, REGION_TABLE_CONSTANT } from '../../../lambdas/region-ops/edge-files';
import { DeployedConfigError } from '../../../lambdas/shared/deployed-config';

const files = { agentSource: 'export {};\n', regionTableGzip: gzipSync(Buffer.from('KCDNGEO1 and the rest')) };

describe('the edge files compiled into region-ops', () => {
  it('travel as the agent text and the table in base64, and come back as they were', () => {
    const constants = edgeFilesConstants(files);
    expect(constants).toEqual({ [AGENT_CONSTANT]: files.agentSource, [REGION_TABLE_CONSTANT]: files.regionTableGzip.toString('base64') });
    expect(edgeFilesFromConstants(constants)).toEqual(files);
  });

  it('are missing from code that was not bundled with them, and say which', () => {
    expect(() => edgeFilesFromConstants()).toThrow(
      new DeployedConfigError("KUBECDN_EDGE_AGENT is not compiled in; expected the edge agent's code"),
    );
  });

  it.each([
    ['no agent', { [REGION_TABLE_CONSTANT]: files.regionTableGzip.toString('base64') }, /KUBECDN_EDGE_AGENT is not compiled in/],
    ['no table', { [AGENT_CONSTANT]: 'x' }, /KUBECDN_EDGE_REGION_TABLE is not compiled in/],
    [
      'a table that is not base64',
      { [AGENT_CONSTANT]: 'x', [REGION_TABLE_CONSTANT]: 'H4sI!!!!' },
      /KUBECDN_EDGE_REGION_TABLE is not base64/,
    ],
    [
      'a table that is not gzip',
      { [AGENT_CONSTANT]: 'x', [REGION_TABLE_CONSTANT]: Buffer.from('KCDNGEO1 not compressed at all').toString('base64') },
      /KUBECDN_EDGE_REGION_TABLE is not a gzip stream/,
    ],
  ])('refuse %s at cold start, naming the constant', (_case, constants, message) => {
    expect(() => edgeFilesFromConstants(constants)).toThrow(message);
  });
});
