import { edgePods, seedEdgeCache } from '../support/simulated-aws/edge-pods';
import { scenario } from './scenario';

it('smoke', async () => {
  const s = scenario();
  await s.succeed('StartRegion', { region: 'us-east-1' });
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  console.log(edgePods(s.world, 'us-east-1', 'kubecdn').map((p) => [p.name, p.ready, new Date(p.createdAt).toISOString()]));
  seedEdgeCache(s.world, 'us-east-1', 'kubecdn', ['cdn.example.com/img/logo.png', 'cdn.example.com/img/logo.png?v=2', 'cdn.example.com/css/a.css', 'cdn.example.com/js/x.js']);
  const run = await s.run('PurgeCache', '{"paths":["/img/logo.png","/css/*"]}');
  console.log(run.status, run.error, run.cause, run.elapsedMs, JSON.stringify(run.output, null, 1));
  console.log(s.world.notifications.at(-1));
});
