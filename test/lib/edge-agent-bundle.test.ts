/** The agent as the ConfigMap carries it: one file, nothing to install, well inside a ConfigMap's 1 MiB. */
import { edgeAgentSource } from '../../lib/edge-agent-bundle';

jest.setTimeout(60_000);

describe('the edge agent bundle', () => {
  const source = edgeAgentSource();

  it('stays under 900 KB, leaving room in the 1 MiB ConfigMap', () => {
    const bytes = Buffer.byteLength(source, 'utf8');
    if (process.env.EDGE_METRICS_REPORT) console.log(`edge-agent.mjs: ${bytes} bytes`);
    expect(bytes).toBeLessThan(900 * 1024);
  });

  it('is one ES module that loads nothing but Node.js built-ins (the SDK and core/ are inside)', () => {
    const modules = (pattern: RegExp) => [...new Set([...source.matchAll(pattern)].map((m) => m[1]!))];
    const imported = modules(/(?:^|[;}])\s*import\s*[^;"'()]*?from\s*["']([^"']+)["']/g);
    const dynamic = modules(/\bimport\(\s*"([^"]+)"\s*\)/g);
    const required = modules(/\brequire\(\s*"([^"]+)"\s*\)/g);
    expect(imported).toContain('node:dgram');
    expect([...imported, ...dynamic].filter((name) => !name.startsWith('node:'))).toEqual([]);
    // Named only inside an SDK error message's text (how to install its optional native signer), never called.
    expect(required.filter((name) => !name.startsWith('node:'))).toEqual(['@aws-sdk/signature-v4-crt']);
    expect(source).toContain('KubeCdn/Edge');
  });

  it('is built once per process for the same sources', () => {
    expect(edgeAgentSource()).toBe(source);
  });
});
