// Squarified treemap layout (Bruls, Huizing, van Wijk, "Squarified Treemaps", 2000): rectangles
// with areas proportional to values and aspect ratios kept close to 1, so labels fit. Pure
// geometry; html.ts draws it as SVG.

/** A node to lay out; a node with children gets the sum of theirs. */
export interface TreeNode<T> {
  value: number;
  data: T;
  children?: Array<TreeNode<T>>;
}

/** A rectangle, in the drawing's units. */
export interface Rect { x: number; y: number; width: number; height: number }

/** A laid-out node: its rectangle and depth (0 for the top level). */
export interface PlacedNode<T> extends Rect {
  data: T;
  value: number;
  depth: number;
  isLeaf: boolean;
}

/** Space kept around a group's children, and above them for the group's label. */
export interface TreemapOptions { padding: number; headerHeight: number }

/** Lays out `nodes` in `bounds`, groups first, then their children inside them. */
export function layoutTreemap<T>(nodes: ReadonlyArray<TreeNode<T>>, bounds: Rect, options: TreemapOptions, depth = 0): Array<PlacedNode<T>> {
  const placed: Array<PlacedNode<T>> = [];
  const visible = nodes.filter((n) => valueOf(n) > 0).sort((a, b) => valueOf(b) - valueOf(a));
  squarify(visible.map(valueOf), bounds).forEach((rect, i) => {
    const node = visible[i]!;
    const isLeaf = !node.children || node.children.length === 0;
    placed.push({ ...rect, data: node.data, value: valueOf(node), depth, isLeaf });
    if (isLeaf) return;
    const header = rect.height > options.headerHeight * 2 ? options.headerHeight : 0;
    const inner = {
      x: rect.x + options.padding,
      y: rect.y + options.padding + header,
      width: rect.width - options.padding * 2,
      height: rect.height - options.padding * 2 - header,
    };
    if (inner.width > 0 && inner.height > 0) placed.push(...layoutTreemap(node.children!, inner, options, depth + 1));
  });
  return placed;
}

function valueOf<T>(node: TreeNode<T>): number {
  return node.children && node.children.length > 0 ? node.children.reduce((n, c) => n + valueOf(c), 0) : Math.max(0, node.value);
}

/** Rectangles for `values` (sorted largest first) filling `bounds`, in the same order. */
export function squarify(values: readonly number[], bounds: Rect): Rect[] {
  const total = values.reduce((n, v) => n + v, 0);
  if (total <= 0 || bounds.width <= 0 || bounds.height <= 0) return values.map(() => ({ x: bounds.x, y: bounds.y, width: 0, height: 0 }));
  const scale = (bounds.width * bounds.height) / total;
  const areas = values.map((v) => v * scale);
  const rects: Rect[] = [];
  let free = { ...bounds };
  let start = 0;
  while (start < areas.length) {
    const side = Math.min(free.width, free.height);
    let end = start + 1;
    while (end < areas.length && worstRatio(areas.slice(start, end + 1), side) <= worstRatio(areas.slice(start, end), side)) end += 1;
    const row = areas.slice(start, end);
    const rowArea = row.reduce((n, a) => n + a, 0);
    if (free.width >= free.height) {
      // A column along the left edge.
      const width = free.height > 0 ? rowArea / free.height : 0;
      let y = free.y;
      for (const area of row) { const height = width > 0 ? area / width : 0; rects.push({ x: free.x, y, width, height }); y += height; }
      free = { x: free.x + width, y: free.y, width: free.width - width, height: free.height };
    } else {
      // A row along the top edge.
      const height = free.width > 0 ? rowArea / free.width : 0;
      let x = free.x;
      for (const area of row) { const width = height > 0 ? area / height : 0; rects.push({ x, y: free.y, width, height }); x += width; }
      free = { x: free.x, y: free.y + height, width: free.width, height: free.height - height };
    }
    start = end;
  }
  return rects;
}

/** The worst aspect ratio of a row of `areas` laid along a side of length `side`. */
function worstRatio(areas: readonly number[], side: number): number {
  const sum = areas.reduce((n, a) => n + a, 0);
  const max = Math.max(...areas);
  const min = Math.min(...areas);
  if (sum <= 0 || min <= 0) return Infinity;
  return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
}
