/**
 * The metrics agent's place in the edge pod, as the workflow applies it: its container, its
 * settings, the volumes its code and region table arrive in, and that nginx sends its log where
 * the agent listens. (What the agent does is proven in metrics-agent.test.ts, by running it.)
 */
import { accessLogGroupName } from '../../core/edge-metrics/access-log-group';
import { MAX_TABLE_PARTS } from '../../edge-agent/region-table-files';
import { DEFAULT_REGION_TABLE_DIR, DEFAULT_SYSLOG_PORT } from '../../edge-agent/settings';
import { validConfig } from '../support/configs';
import { renderEdgeFiles } from './support/edge-nginx';
import { edgePod, renderedEdgeManifests } from './purge-companion-process';

const config = validConfig();
const pod = edgePod(renderedEdgeManifests());
const agent = pod.containers.find((c) => c.name === 'metrics-agent')!;
const volume = (mountPath: string) => {
  const name = agent.volumeMounts?.find((m) => m.mountPath === mountPath)?.name;
  return pod.volumes.find((v) => v.name === name) as
    { configMap?: { name: string; optional?: boolean }; projected?: { sources: { configMap?: Record<string, unknown> }[] } } | undefined;
};

describe('the metrics agent in the edge pod', () => {
  it('runs the bundled agent from ConfigMap edge-metrics-agent with Node.js 22 from ECR Public, pinned to one release', () => {
    expect(agent.image).toMatch(/^public\.ecr\.aws\/docker\/library\/node:22\.\d+\.\d+-alpine[\d.]*$/);
    expect(agent.command).toEqual(['node', '--max-old-space-size=48', '/opt/agent/edge-agent.mjs']);
    // Delivered by the workflow, not from config/workload: the name stays as written here.
    expect(volume('/opt/agent')?.configMap).toEqual({ name: 'edge-metrics-agent' });
  });

  it('is told the project, its region, the home region, the log group and the sample rate, as strings', () => {
    expect(agent.env).toEqual([
      { name: 'PROJECT', value: config.name },
      { name: 'EDGE_REGION', value: 'eu-west-1' },
      { name: 'METRICS_REGION', value: config.homeRegion },
      { name: 'LOG_GROUP', value: accessLogGroupName(config.name) },
      { name: 'ACCESS_LOG_SAMPLE_RATE', value: String(config.edgeMonitoring.accessLogs.sampleRate) },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(accessLogGroupName(config.name)).toBe(`/kubecdn/${config.name}/edge-access`);
  });

  it('runs unprivileged on a read-only root file system, with requests and limits, and holds no Kubernetes API token', () => {
    expect(agent.securityContext).toEqual({
      runAsUser: 101,
      runAsGroup: 101,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(agent.resources).toEqual({ requests: { cpu: '20m', memory: '96Mi' }, limits: { memory: '160Mi' } });
    expect(agent.volumeMounts?.map((m) => [m.mountPath, m.readOnly])).toEqual([
      ['/opt/agent', true],
      [DEFAULT_REGION_TABLE_DIR, true],
    ]);
  });

  it('reads the region table from every edge-region-table ConfigMap, each optional, as part-<i>, with sha256 and parts from the first', () => {
    const sources = volume(DEFAULT_REGION_TABLE_DIR)?.projected?.sources.map((s) => s.configMap);
    expect(sources).toHaveLength(MAX_TABLE_PARTS);
    sources!.forEach((source, i) =>
      expect(source).toEqual({
        name: `edge-region-table-${i}`,
        optional: true,
        items: [
          { key: 'part', path: `part-${i}` },
          ...(i === 0
            ? [
                { key: 'sha256', path: 'sha256' },
                { key: 'parts', path: 'parts' },
              ]
            : []),
        ],
      }),
    );
  });

  it('is where nginx sends its access log, over UDP syslog, beside stdout', () => {
    const { nginxConf } = renderEdgeFiles(config);
    expect(nginxConf).toContain('access_log /dev/stdout edge;');
    expect(nginxConf).toContain(`access_log syslog:server=127.0.0.1:${DEFAULT_SYSLOG_PORT},nohostname,tag=edge edge;`);
  });
});
