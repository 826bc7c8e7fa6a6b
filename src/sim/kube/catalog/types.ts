/**
 * What an image does when the simulated kubelet runs it. Every behaviour the
 * scenarios rely on is data here, not code in the kubelet.
 */
export interface ImageBehavior {
  /** Seconds from container start until the app accepts connections. */
  startupSeconds: number;
  /** Ports the app listens on once started. */
  listens: number[];
  /** HTTP status by path; unlisted paths answer 200. */
  httpStatus?: Record<string, number>;
  /** Working-set memory once started; above the container's limit the kernel OOM-kills it. */
  memoryMiB: number;
  /** Lines written when the container starts (before it listens). */
  startLogs: string[];
  /** Lines written when the app is listening. */
  readyLogs?: string[];
  /** The process exits by itself this long after starting, writing `logs` first. */
  exit?: { afterSeconds: number; code: number; logs: string[] };
  /** Dependencies dialled at start-up; the host comes from an environment variable. */
  requires?: Dependency[];
  /** CPU the app burns once started (metrics.k8s.io); a light 10m when unset. */
  cpuMillicores?: number;
  /** The image's default command (ENTRYPOINT), used when the container sets none. */
  entrypoint?: string;
  /** Executables the image holds; when set, starting any other command fails in the runtime. */
  executables?: string[];
}

export interface Dependency {
  /** Environment variable holding "host" or "host:port". */
  env: string;
  port: number;
  /** Seconds after start when the dial happens. */
  afterSeconds: number;
  /** Log lines and exit code when the host does not resolve; `${host}` is substituted. */
  onDnsFailure: string[];
  /** Log lines when nothing listens behind the address; `${address}` is substituted. */
  onRefused: string[];
}

export interface CatalogRepository {
  /** Tags that exist, with what each does. */
  tags: Record<string, Partial<ImageBehavior>>;
  /** A private repository: pulls need these credentials. */
  credentials?: { username: string; password: string };
}

export interface ImageCatalog {
  /** Registry hosts that do not resolve from the cluster. */
  unreachableHosts: string[];
  /** Repositories by "host/path". */
  repositories: Record<string, CatalogRepository>;
}
