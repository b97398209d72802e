// What the report reads of a build: the artifacts of the stages before it, nothing of the orchestrator.
import type { ResolvedConfig } from '../config.ts';
import type { Bundle } from '../bundle/index.ts';
import type { Embedded } from '../embed/index.ts';
import type { SeaExecutable } from '../sea/index.ts';
import type { ImageBuild } from '../image/index.ts';

/** The slice of the config the report reads. */
export type ReportSettings = Pick<ResolvedConfig, 'artifactName' | 'outDir' | 'assetPrefix' | 'cacheDir' | 'codeCache' | 'commit' | 'entry' | 'external' | 'image' | 'minify' | 'name' | 'packageName' | 'port' | 'root' | 'sourceDateEpoch' | 'version'>;

/** The artifacts one platform's size report is made from. */
export interface ReportInput {
  config: ReportSettings;
  bundle: Bundle;
  embedded: Embedded;
  executable: SeaExecutable;
  /** Absent with `image: false`. */
  image?: ImageBuild;
}
