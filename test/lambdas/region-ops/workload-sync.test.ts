import type { KubernetesApi, KubernetesPatchType, KubernetesResponse } from '../../../lambdas/region-ops/kubernetes-api';
import type { KubernetesManifest } from '../../../lambdas/region-ops/kubernetes-manifests';
import {
  currentTemplates,
  deploymentRolloutStatus,
  restoreTemplates,
  workloadRolloutStatus,
} from '../../../lambdas/region-ops/workload-sync';

const PATH = '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx';
const deploymentManifest: KubernetesManifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'edge-nginx', namespace: 'kubecdn-edge' },
  spec: { replicas: 2 },
};
const others: KubernetesManifest[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubecdn-edge' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'kubecdn-edge' } },
];

interface Sent {
  method: string;
  path: string;
  body?: unknown;
  patchType?: KubernetesPatchType;
}

/** An API server that answers from a table of path → response, and records what it was sent. */
function fakeApi(responses: Record<string, KubernetesResponse>): KubernetesApi & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async request(method, path, body, patchType) {
      sent.push({ method, path, body, patchType });
      return responses[path.split('?')[0]!] ?? { status: 404, body: { message: 'not found' } };
    },
  };
}

function deployment(status: Record<string, unknown>, generation = 3, replicas = 2) {
  return { metadata: { name: 'edge-nginx', generation }, spec: { replicas }, status };
}

const settled = { observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };

describe('deploymentRolloutStatus', () => {
  it('is AVAILABLE when the new generation is observed and every desired pod is updated and available, with no old pod left', () => {
    expect(deploymentRolloutStatus('kubecdn-edge/edge-nginx', deployment(settled))).toEqual({
      status: 'AVAILABLE',
      detail: 'kubecdn-edge/edge-nginx: 2 of 2 updated, 2 available',
    });
  });

  it('is PROGRESSING while the controller has not observed the new generation, however good the old counts look', () => {
    const result = deploymentRolloutStatus('kubecdn-edge/edge-nginx', deployment({ ...settled, observedGeneration: 2 }));
    expect(result.status).toBe('PROGRESSING');
    expect(result.detail).toContain('has not yet seen generation 3');
  });

  it('is PROGRESSING while a surge pod of the new template is not ready and the old pods still serve', () => {
    const result = deploymentRolloutStatus(
      'kubecdn-edge/edge-nginx',
      deployment({ observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 }),
    );
    expect(result).toEqual({
      status: 'PROGRESSING',
      detail: 'kubecdn-edge/edge-nginx: 1 of 2 updated, 2 available, 2 old pod(s) still running',
    });
  });

  it('is PROGRESSING while old pods linger beside fully updated ones', () => {
    expect(
      deploymentRolloutStatus('d', deployment({ observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 3 })).status,
    ).toBe('PROGRESSING');
  });

  it('is FAILED when the Progressing condition says ProgressDeadlineExceeded', () => {
    const result = deploymentRolloutStatus(
      'kubecdn-edge/edge-nginx',
      deployment({
        observedGeneration: 3,
        replicas: 3,
        updatedReplicas: 1,
        availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "edge-nginx-7f" has timed out progressing.',
          },
        ],
      }),
    );
    expect(result).toEqual({
      status: 'FAILED',
      detail:
        'kubecdn-edge/edge-nginx: 1 of 2 updated, 2 available; progress deadline exceeded: ReplicaSet "edge-nginx-7f" has timed out progressing.',
    });
  });

  it('ignores a deadline exceeded by an earlier generation (a new sync after a failed one)', () => {
    const stale = deployment({
      observedGeneration: 2,
      updatedReplicas: 1,
      availableReplicas: 2,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(deploymentRolloutStatus('d', stale).status).toBe('PROGRESSING');
  });

  it('counts a Deployment without a status as not rolled out', () => {
    expect(deploymentRolloutStatus('d', { metadata: { generation: 1 }, spec: { replicas: 2 } }).status).toBe('PROGRESSING');
  });

  it('is AVAILABLE for a Deployment scaled to zero once that is observed', () => {
    expect(deploymentRolloutStatus('d', deployment({ observedGeneration: 3 }, 3, 0)).status).toBe('AVAILABLE');
  });
});

describe('workloadRolloutStatus', () => {
  it('reads only the Deployments of the manifests and reports their counts', async () => {
    const api = fakeApi({ [PATH]: { status: 200, body: deployment(settled) } });
    expect(await workloadRolloutStatus(api, [...others, deploymentManifest])).toEqual({
      status: 'AVAILABLE',
      detail: 'kubecdn-edge/edge-nginx: 2 of 2 updated, 2 available',
    });
    expect(api.sent).toEqual([{ method: 'GET', path: PATH, body: undefined, patchType: undefined }]);
  });

  it('is FAILED when a Deployment is missing, and FAILED wins over PROGRESSING', async () => {
    const second = { ...deploymentManifest, metadata: { name: 'edge-logs', namespace: 'kubecdn-edge' } };
    const api = fakeApi({ [PATH]: { status: 200, body: deployment({ ...settled, observedGeneration: 2 }) } });
    const result = await workloadRolloutStatus(api, [deploymentManifest, second]);
    expect(result.status).toBe('FAILED');
    expect(result.detail).toContain('kubecdn-edge/edge-logs: the Deployment does not exist');
    expect(result.detail).toContain('kubecdn-edge/edge-nginx: the controller has not yet seen generation 3');
  });

  it('passes an API error on as retryable or failed', async () => {
    await expect(workloadRolloutStatus(fakeApi({ [PATH]: { status: 503, body: 'busy' } }), [deploymentManifest])).rejects.toMatchObject({
      name: 'Retryable',
    });
    await expect(workloadRolloutStatus(fakeApi({ [PATH]: { status: 400, body: 'bad' } }), [deploymentManifest])).rejects.toMatchObject({
      name: 'RegionOperationFailed',
    });
  });
});

describe('currentTemplates', () => {
  it('returns each existing Deployment’s live pod template by path, and skips Deployments that do not exist yet', async () => {
    const template = { metadata: { labels: { app: 'edge' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
    const second = { ...deploymentManifest, metadata: { name: 'edge-logs', namespace: 'kubecdn-edge' } };
    const api = fakeApi({ [PATH]: { status: 200, body: { ...deployment(settled), spec: { replicas: 2, template } } } });
    expect(await currentTemplates(api, [...others, deploymentManifest, second])).toEqual([{ path: PATH, template }]);
  });
});

describe('restoreTemplates', () => {
  it('replaces each Deployment’s whole pod template with a JSON patch under its own field manager, as kubectl rollout undo does', async () => {
    const template = { metadata: { labels: { app: 'edge' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
    const api = fakeApi({ [PATH]: { status: 200, body: {} } });
    expect(await restoreTemplates(api, [{ path: PATH, template }])).toEqual([PATH]);
    expect(api.sent).toEqual([
      {
        method: 'PATCH',
        path: `${PATH}?fieldManager=kubecdn-restore`,
        body: [{ op: 'replace', path: '/spec/template', value: template }],
        patchType: 'application/json-patch+json',
      },
    ]);
  });

  it('fails clearly when the Deployment is gone, and retries a conflict', async () => {
    const previous = [{ path: PATH, template: {} }];
    await expect(restoreTemplates(fakeApi({}), previous)).rejects.toMatchObject({
      name: 'RegionOperationFailed',
      message: expect.stringContaining('the Deployment no longer exists'),
    });
    await expect(restoreTemplates(fakeApi({ [PATH]: { status: 409, body: { message: 'conflict' } } }), previous)).rejects.toMatchObject({
      name: 'Retryable',
    });
  });
});
