import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding, FindingCode, Fix } from '../finding.js';
import { formatImageRef, parseImageRef } from '../image-ref.js';
import type { DeploymentSnapshot, RegistryCheck, RegistryStatus } from '../snapshot.js';
import { analysisContext, capitalise, currentContainers, eventsAbout, groupBy, latestEventEvidence, podRef, podsPhrase, rollbackFixes, templateOfRevision, uniqueSorted, type AnalysisContext, type ContainerRef } from './context.js';

type ImageCode = Extract<FindingCode, 'IMAGE_TAG_NOT_FOUND' | 'IMAGE_REPOSITORY_NOT_FOUND' | 'IMAGE_PULL_UNAUTHORIZED' | 'REGISTRY_UNREACHABLE' | 'INVALID_IMAGE_NAME' | 'IMAGE_PULL_FAILED'>;

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'ImageInspectError']);

const BY_REGISTRY: Partial<Record<RegistryStatus, ImageCode>> = {
  'tag-not-found': 'IMAGE_TAG_NOT_FOUND',
  'repository-not-found': 'IMAGE_REPOSITORY_NOT_FOUND',
  unauthorized: 'IMAGE_PULL_UNAUTHORIZED',
  unreachable: 'REGISTRY_UNREACHABLE',
  'invalid-reference': 'INVALID_IMAGE_NAME',
};

/**
 * The runtime's pull error, classified by what was said. Order matters:
 * Docker's "pull access denied ... may require 'docker login'" means a
 * missing repository far more often than bad credentials, and must win over
 * the generic "denied". Only words saying that nothing answered (no such
 * host, refused, timed out) make the registry unreachable; any other answer
 * the registry gave (429, 5xx, a bad certificate, ...) is a failed pull.
 */
const KUBELET_PATTERNS: Array<[RegExp, ImageCode]> = [
  [/invalid reference format|couldn't parse image name/i, 'INVALID_IMAGE_NAME'],
  [/pull access denied|repository does not exist|name unknown|repository name not known/i, 'IMAGE_REPOSITORY_NOT_FOUND'],
  [/manifest unknown|manifest for \S+ not found|failed to resolve reference .*: not found/i, 'IMAGE_TAG_NOT_FOUND'],
  [/unauthorized|authentication required|\b40[13] (?:Unauthorized|Forbidden)\b|status(?: code)?:? 40[13]\b|insufficient_scope|\bdenied\b|forbidden/i, 'IMAGE_PULL_UNAUTHORIZED'],
  [/toomanyrequests|\b429\b|\b5\d\d (?:[A-Z][a-z]+ ?)+|x509:|certificate|unexpected EOF|connection reset by peer|no space left|not present with pull policy/i, 'IMAGE_PULL_FAILED'],
  [/no such host|i\/o timeout|connection refused|connect: network is unreachable|no route to host|TLS handshake timeout|timed? ?out|deadline exceeded|registry is unavailable/i, 'REGISTRY_UNREACHABLE'],
];

/** Undefined when the words name no known failure: the caller then reports the pull as failed, quoting them. */
export function classifyPullError(message: string): ImageCode | undefined {
  return KUBELET_PATTERNS.find(([re]) => re.test(message))?.[1];
}

interface PullFailure extends ContainerRef {
  image: string;
  code: ImageCode;
  /** What the nodes were told, when it differs from our registry check's answer. */
  disagreement?: string;
  check?: RegistryCheck;
  /** The runtime's own words: the CRI error, without the back-off prefix. */
  message: string;
}

const SAID: Record<ImageCode, string> = {
  IMAGE_TAG_NOT_FOUND: 'the tag was not found',
  IMAGE_REPOSITORY_NOT_FOUND: 'the repository was not found',
  IMAGE_PULL_UNAUTHORIZED: 'access was refused',
  REGISTRY_UNREACHABLE: 'nothing answered',
  INVALID_IMAGE_NAME: 'the reference is invalid',
  IMAGE_PULL_FAILED: 'the pull failed',
};

/**
 * The nodes' words and our registry check, weighed: a registry answer from
 * either side beats "nothing answered"; when both got an answer the check
 * (same credentials, asked directly) decides, except that its "found" never
 * hides the nodes' failure. Disagreement is reported, not hidden.
 */
function weigh(kubelet: ImageCode, check: RegistryCheck | undefined, said: boolean): { code: ImageCode; disagreement?: string } {
  const registry = check ? BY_REGISTRY[check.status] : undefined;
  // Without the nodes' words (only "Back-off pulling image"), there is nothing to weigh the check against.
  if (!said && registry) return { code: registry };
  if (check?.status === 'found') return { code: kubelet, disagreement: `Our registry check can fetch the image although for the nodes ${SAID[kubelet]}, so suspect the nodes' pull credentials or their network path.` };
  if (!registry || registry === kubelet) return { code: kubelet };
  if (registry === 'REGISTRY_UNREACHABLE') return { code: kubelet, disagreement: `Our registry check got no answer from the registry, but the nodes did (${SAID[kubelet]}), so the registry is up.` };
  if (kubelet === 'REGISTRY_UNREACHABLE') return { code: registry, disagreement: `The nodes got no answer from the registry, but our registry check did (${SAID[registry]}): check the nodes' DNS and egress too.` };
  return { code: registry, disagreement: kubelet === 'IMAGE_PULL_FAILED' ? undefined : `The nodes were told ${SAID[kubelet]}; our registry check says ${SAID[registry]}.` };
}

/** Pods of the failing revision that cannot get their image. */
export function analyzeImages(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const failures: PullFailure[] = [];
  for (const ref of currentContainers(ctx)) {
    const waiting = ref.status.state?.waiting;
    if (!waiting?.reason || !PULL_REASONS.has(waiting.reason)) continue;
    const image = ref.spec.image ?? ref.status.image ?? '';
    const message = pullMessage(ctx, ref, waiting.message ?? '');
    const kubeletCode = waiting.reason === 'InvalidImageName' ? 'INVALID_IMAGE_NAME' : (classifyPullError(message) ?? 'IMAGE_PULL_FAILED');
    const check = registryCheckFor(snapshot.registry, image);
    failures.push({ ...ref, image, check, message, ...weigh(kubeletCode, check, message.trim() !== '') });
  }
  return [...groupBy(failures, (f) => `${f.code}\u0000${f.spec.name}\u0000${f.image}`).values()].map((group) => imageFinding(ctx, group));
}

/** The failed-pull text: the last "Failed to pull image" event, else the waiting message minus "Back-off pulling image ...: ErrImagePull: ". */
function pullMessage(ctx: AnalysisContext, ref: ContainerRef, waiting: string): string {
  const failed = eventsAbout(ctx, 'Pod', ref.podName, 'Failed', ref.spec.name).filter((e) => e.message?.startsWith('Failed to pull image'));
  const last = failed.at(-1)?.message;
  if (last) return last.replace(/^Failed to pull image "[^"]*": /, '');
  return waiting.replace(/^Back-off pulling image "[^"]*"(?:: ErrImagePull)?:? ?/, '');
}

function registryCheckFor(checks: RegistryCheck[], image: string): RegistryCheck | undefined {
  const canonical = (s: string) => {
    const r = parseImageRef(s);
    return r.ok ? formatImageRef(r.ref) : s;
  };
  return checks.find((c) => c.image === image) ?? checks.find((c) => canonical(c.image) === canonical(image));
}

/** The image with another tag, written the way the spec writes it. */
export function withTag(image: string, tag: string): string {
  const base = image.replace(/@.*$/, '');
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  return `${colon > slash ? base.slice(0, colon) : base}:${tag}`;
}

function imageFinding(ctx: AnalysisContext, group: PullFailure[]): Finding {
  const first = group[0]!;
  const { code, image, check, spec } = first;
  const pods = uniqueSorted(group.map((f) => f.podName));
  const parsed = parseImageRef(image);
  const repo = parsed.ok ? `${parsed.ref.registry}/${parsed.ref.repository}` : image;
  const tag = parsed.ok ? (parsed.ref.tag ?? parsed.ref.digest ?? '') : '';
  const where = podsPhrase(pods);
  const evidence: Evidence[] = [
    { kind: 'status', name: podRef(first.podName), detail: `container ${spec.name} waiting: ${first.status.state?.waiting?.reason}: ${first.status.state?.waiting?.message ?? ''}` },
  ];
  if (check) evidence.push({ kind: 'registry', name: image, detail: `${check.status}${check.httpStatus ? ` (HTTP ${check.httpStatus})` : ''}: ${check.detail}` });
  for (const f of group) evidence.push(...latestEventEvidence(eventsAbout(ctx, 'Pod', f.podName, undefined, spec.name).filter((e) => e.type === 'Warning')));
  const fixes: Fix[] = [];
  let title: string;
  let summary: string;
  switch (code) {
    case 'IMAGE_TAG_NOT_FOUND': {
      const nearest = (check?.nearestTags ?? []).slice(0, 2);
      title = `Image tag ${tag} not found in ${repo}`;
      summary = nearest.length
        ? `${tag} does not exist in ${repo}; ${nearest.join(' and ')} ${nearest.length === 1 ? 'does' : 'do'}. Containers on ${where} cannot start.`
        : `${tag} does not exist in ${repo} (manifest unknown). Containers on ${where} cannot start.`;
      for (const t of nearest) fixes.push({ kind: 'set-image', title: `Set ${spec.name} to ${t}`, container: spec.name, image: withTag(image, t) });
      break;
    }
    case 'IMAGE_REPOSITORY_NOT_FOUND':
      title = `Repository ${repo} does not exist`;
      summary = `The registry has no repository ${repo} (or it is private and the pull secret has no access); check the image name for a typo. ${capitalise(where)} cannot start.`;
      break;
    case 'IMAGE_PULL_UNAUTHORIZED':
      title = `Registry refuses to serve ${repo}: ${/\b403\b|forbidden|denied/i.test(first.message) ? 'forbidden' : 'unauthorized'}`;
      summary = `The registry rejects the credentials the nodes use for ${repo}${pullSecretChange(ctx)}; check the pull secret for a rotated or expired token. ${capitalise(where)} cannot start.`;
      break;
    case 'REGISTRY_UNREACHABLE':
      title = `Registry ${parsed.ok ? parsed.ref.registry : repo} unreachable from the nodes`;
      summary = `The nodes cannot reach the registry for ${image} (${shortReason(first.message)}); check the registry host name and the cluster's DNS and egress. ${capitalise(where)} cannot start.`;
      break;
    case 'INVALID_IMAGE_NAME':
      title = `Invalid image reference ${image}`;
      summary = `${image} is not a valid image reference${parsed.ok ? '' : ` (${parsed.reason})`}; the kubelet will not try to pull it. ${capitalise(where)} cannot start.`;
      break;
    case 'IMAGE_PULL_FAILED':
      title = `Cannot pull ${image}: ${shortMessage(first.message || first.status.state?.waiting?.reason || 'pull failed')}`;
      summary = `The nodes cannot pull ${image}: "${first.message || first.status.state?.waiting?.message || first.status.state?.waiting?.reason}". ${capitalise(where)} cannot start.`;
      break;
  }
  if (first.disagreement) summary += ` ${first.disagreement}`;
  return { code, severity: ctx.impact, title, summary, evidence, fixes: [...fixes, ...rollbackFixes(ctx)], pods };
}

/** " (imagePullSecrets changed from regcred in revision 1 to regcred-rotated)": secret names only. */
function pullSecretChange(ctx: AnalysisContext): string {
  const names = (t: PodTemplateSpec | undefined) => (t?.spec?.imagePullSecrets ?? []).map((s) => s.name ?? '').join(', ') || 'none';
  const now = names(ctx.deployment.spec?.template);
  const before = ctx.lastHealthy === ctx.revision ? now : names(templateOfRevision(ctx, ctx.lastHealthy));
  if (ctx.lastHealthy !== null && before !== now) return ` (imagePullSecrets changed from ${before} in revision ${ctx.lastHealthy} to ${now})`;
  return ` (imagePullSecrets: ${now})`;
}

function shortReason(message: string): string {
  return /no such host|i\/o timeout|connection refused|network is unreachable|no route to host|TLS handshake timeout|timed? ?out|deadline exceeded/i.exec(message)?.[0] ?? 'connection failed';
}

/** The last clause of a runtime error: "rpc error: ... desc = failed to pull ...: 503 Service Unavailable" → "503 Service Unavailable". */
function shortMessage(message: string): string {
  const tail = message.split(': ').filter(Boolean).at(-1) ?? message;
  return tail.length > 80 ? `${tail.slice(0, 77)}...` : tail;
}
