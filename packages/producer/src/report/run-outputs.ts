import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ProducerError, ProducerErrorCodes } from '../errors.js';
import type { GroundTruthManifest } from '../ground-truth/ground-truth.js';

/** Writes the manifest JSON and the `.hgrm` of a run where the options ask for them (creating directories). */
export async function writeRunOutputs(
  manifest: GroundTruthManifest,
  hgrm: string,
  paths: { manifestPath: string | undefined; hgrmPath: string | undefined },
): Promise<void> {
  try {
    if (paths.manifestPath !== undefined) {
      await mkdir(dirname(paths.manifestPath), { recursive: true });
      await writeFile(paths.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    }
    if (paths.hgrmPath !== undefined) {
      await mkdir(dirname(paths.hgrmPath), { recursive: true });
      await writeFile(paths.hgrmPath, hgrm);
    }
  } catch (err) {
    throw new ProducerError(
      ProducerErrorCodes.OUTPUT_FAILED,
      `cannot write outputs: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
