/** Registry credentials as image pull secrets carry them (kubernetes.io/dockerconfigjson and the older dockercfg). */
export interface RegistryCredential {
  host: string;
  username?: string;
  password?: string;
}

export interface PullSecretLike {
  type?: string;
  data?: Record<string, string>;
}

export function credentialsFromSecret(secret: PullSecretLike): RegistryCredential[] {
  const key = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
  const raw = secret.data?.[key];
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return [];
  }
  const auths = (key === '.dockercfg' ? parsed : (parsed as { auths?: unknown }).auths) as
    | Record<string, { username?: string; password?: string; auth?: string }>
    | undefined;
  return Object.entries(auths ?? {}).map(([host, a]) => {
    let { username, password } = a;
    if (a.auth && (!username || !password)) {
      const decoded = Buffer.from(a.auth, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      username = decoded.slice(0, i);
      password = decoded.slice(i + 1);
    }
    return { host: normalizeRegistryHost(host), username, password };
  });
}

/** "https://index.docker.io/v1/" and "registry.example.com/" both name a host; Docker Hub's aliases become docker.io. */
export function normalizeRegistryHost(key: string): string {
  const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}
