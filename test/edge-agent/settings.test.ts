import { agentSettings } from '../../edge-agent/settings';

const ENV = {
  PROJECT: 'kubecdn',
  EDGE_REGION: 'eu-west-1',
  METRICS_REGION: 'us-east-1',
  LOG_GROUP: '/kubecdn/kubecdn/edge-access',
  ACCESS_LOG_SAMPLE_RATE: '0.01',
  POD_NAME: 'edge-nginx-5d8f7c9b4-x2x4p',
};

describe('the agent settings', () => {
  it('read the pod environment, with the defaults for the syslog port, table directory, grace and stop drain', () => {
    expect(agentSettings(ENV)).toEqual({
      project: 'kubecdn',
      edgeRegion: 'eu-west-1',
      metricsRegion: 'us-east-1',
      logGroup: '/kubecdn/kubecdn/edge-access',
      sampleRate: 0.01,
      podName: 'edge-nginx-5d8f7c9b4-x2x4p',
      syslogPort: 5140,
      regionTableDir: '/opt/region-table',
      flushGraceMs: 5000,
      stopDrainMs: 3000,
    });
    expect(agentSettings({ ...ENV, SYSLOG_PORT: '15140', REGION_TABLE_DIR: '/tmp/t', FLUSH_GRACE_MS: '0' })).toMatchObject({
      syslogPort: 15140,
      regionTableDir: '/tmp/t',
      flushGraceMs: 0,
    });
  });

  it('take every sample rate String(number) writes from 0 to 1', () => {
    for (const [text, rate] of [
      ['0', 0],
      ['1', 1],
      ['0.5', 0.5],
      ['1e-7', 1e-7],
    ] as const) {
      expect(agentSettings({ ...ENV, ACCESS_LOG_SAMPLE_RATE: text }).sampleRate).toBe(rate);
    }
  });

  it.each([
    ['PROJECT', undefined, /PROJECT is not set/],
    ['EDGE_REGION', 'Ireland', /EDGE_REGION must be an AWS region code such as eu-west-1, got "Ireland"/],
    ['METRICS_REGION', '', /METRICS_REGION is not set/],
    ['LOG_GROUP', 'a:b', /LOG_GROUP must be a CloudWatch Logs group name/],
    ['ACCESS_LOG_SAMPLE_RATE', '1.5', /ACCESS_LOG_SAMPLE_RATE must be a fraction of requests from 0 to 1, such as 0.01, got "1.5"/],
    ['ACCESS_LOG_SAMPLE_RATE', '1%', /ACCESS_LOG_SAMPLE_RATE must be a fraction/],
    ['POD_NAME', 'a*b', /POD_NAME must be the pod's name/],
    ['SYSLOG_PORT', '70000', /SYSLOG_PORT must be a UDP port from 1 to 65535, got "70000"/],
    ['REGION_TABLE_DIR', 'relative/dir', /REGION_TABLE_DIR must be an absolute path/],
    ['FLUSH_GRACE_MS', '60000', /FLUSH_GRACE_MS must be milliseconds from 0 to 55000/],
    ['STOP_DRAIN_MS', '-1', /STOP_DRAIN_MS must be milliseconds from 0 to 20000, got "-1"/],
  ])('refuse a wrong %s, naming it', (name, value, message) => {
    expect(() => agentSettings({ ...ENV, [name]: value })).toThrow(message);
  });
});
