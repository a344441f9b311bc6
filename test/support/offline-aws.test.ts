import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { createServer } from 'node:net';

describe('the offline test set-up', () => {
  it('gives AWS clients fake credentials and a region, never a real profile', () => {
    expect(process.env.AWS_ACCESS_KEY_ID).toBe('AKIAFAKEFORTESTS0000');
    expect(process.env.AWS_REGION).toBe('us-east-1');
    expect(process.env.AWS_PROFILE).toBeUndefined();
  });

  it('fails an unmocked AWS call at once, naming the host, instead of reaching AWS', async () => {
    const eks = new EKSClient({ region: 'eu-west-1', maxAttempts: 1 });
    const started = Date.now();
    await expect(eks.send(new DescribeClusterCommand({ name: 'kubecdn-eu-west-1' }))).rejects.toThrow(
      /network access is blocked in tests \(tried to reach eks\.eu-west-1\.amazonaws\.com:443\)/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('still allows loopback connections for local test servers', async () => {
    const server = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('data', (data) => resolve(data.toString()));
      socket.on('error', reject);
    });
    server.close();
    expect(reply).toBe('hello');
  });
});
