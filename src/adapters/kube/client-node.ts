/**
 * Every runtime value Deploy Medic takes from @kubernetes/client-node comes
 * through this module. The package is about 830 ES modules (its generated API
 * has one file per type, and KubeConfig alone imports all of them): on Node 20
 * loading them costs about half a second and 50 MiB before the first request,
 * more than the seven kubectl commands a diagnosis replaces. `npm run build`
 * therefore replaces this module's compiled output with one bundle of the
 * package's own code (scripts/bundle-client-node.mjs; its dependencies stay
 * ordinary packages). Type-only imports may name the package directly.
 */
export { ApiException, AppsV1Api, createConfiguration, KubeConfig, ListWatch, PatchStrategy, ServerConfiguration, setHeaderOptions, Watch } from '@kubernetes/client-node';
