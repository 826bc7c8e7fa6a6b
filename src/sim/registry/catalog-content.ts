import type { ImageCatalog } from '../kube/catalog/types.js';

/** A repository of the catalog as a registry names it: "registry.example.com/api-server" → "api-server". */
export interface CatalogRepositoryView {
  name: string;
  tags: string[];
  /** Users who may pull it; undefined: public. */
  readers?: string[];
}

/** The catalog's repositories on `hostAlias`, by registry name. */
export function catalogRepositories(catalog: ImageCatalog, hostAlias: string): CatalogRepositoryView[] {
  const prefix = `${hostAlias}/`;
  return Object.entries(catalog.repositories)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, repo]) => ({ name: key.slice(prefix.length), tags: Object.keys(repo.tags), ...(repo.credentials ? { readers: [repo.credentials.username] } : {}) }));
}

/**
 * Who may pull what, for a token service: the catalog's private
 * repositories with their one pull account each; everything else is public.
 */
export function catalogAccess(catalog: ImageCatalog, hostAlias: string): { users: Record<string, string>; privateRepositories: Record<string, string[]> } {
  const prefix = `${hostAlias}/`;
  const users: Record<string, string> = {};
  const privateRepositories: Record<string, string[]> = {};
  for (const [key, repo] of Object.entries(catalog.repositories)) {
    if (!key.startsWith(prefix) || !repo.credentials) continue;
    users[repo.credentials.username] = repo.credentials.password;
    privateRepositories[key.slice(prefix.length)] = [repo.credentials.username];
  }
  return { users, privateRepositories };
}
