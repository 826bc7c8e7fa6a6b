import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export type ManifestFormat = 'oci' | 'docker';

const MEDIA_TYPES: Record<ManifestFormat, { manifest: string; config: string; layer: string }> = {
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
};

export const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface Blob {
  digest: string;
  data: Buffer;
}

/** One image as a registry stores it: the manifest's bytes and the blobs it references. */
export interface ImageContent {
  manifest: Buffer;
  mediaType: string;
  digest: string;
  config: Blob;
  layer: Blob;
}

/**
 * A tiny single-layer image for `repository:tag`, byte for byte the same on
 * every call: pushed into docker-registry or served by the simulated registry,
 * a tag has the same digest. Config and layer name the image, so every tag
 * has its own digest.
 */
export function imageContent(repository: string, tag: string, format: ManifestFormat = 'oci'): ImageContent {
  const types = MEDIA_TYPES[format];
  const layerTar = Buffer.from(`deploy-medic test layer for ${repository}:${tag}\n`);
  const layer = gzipSync(layerTar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.ref.name': `${repository}:${tag}` } },
      rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
    }),
  );
  const configBlob = { digest: sha256(config), data: config };
  const layerBlob = { digest: sha256(layer), data: layer };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: { mediaType: types.config, size: config.length, digest: configBlob.digest },
      layers: [{ mediaType: types.layer, size: layer.length, digest: layerBlob.digest }],
    }),
  );
  return { manifest, mediaType: types.manifest, digest: sha256(manifest), config: configBlob, layer: layerBlob };
}
