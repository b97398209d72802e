// What the report reads of a build: the artifacts of the stages before it, nothing of the orchestrator.
import type { ResolvedConfig } from '../config.ts';
import type { Bundle } from '../bundle/index.ts';
import type { Embedded } from '../embed/index.ts';
import type { SeaExecutable } from '../sea/index.ts';
import type { ImageBuild } from '../image/index.ts';

/** The artifacts one platform's size report is made from. */
export interface ReportInput {
  config: ResolvedConfig;
  bundle: Bundle;
  embedded: Embedded;
  executable: SeaExecutable;
  /** Absent with `image: false`. */
  image?: ImageBuild;
}
