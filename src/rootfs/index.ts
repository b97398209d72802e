// The root filesystem shared by the stages after the executable: the image stage lays it out and
// packs it into layers, verify runs it as a folder, the report and the SBOMs name its files.
export type { LayerName, Rootfs, RootfsEntry } from './types.ts';
export { writeRootfsToDir } from './write-dir.ts';
