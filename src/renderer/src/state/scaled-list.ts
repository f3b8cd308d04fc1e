// A list taller than a browser can lay out: Chromium stops at 33,554,428 px, which 20 px rows pass
// at 1,677,722 packets. Such a list scrolls a canvas of at most MAX_CANVAS_PX, whose scroll position
// maps proportionally onto the first row shown; the rows on screen are drawn at their own height.

/** The canvas height of a scaled list (half Chromium's limit, and below Firefox's 17,895,697 px). */
export const MAX_CANVAS_PX = 16_000_000;

/** Whether `total` rows of `rowHeight` px need the scaled canvas. */
export function needsScaling(total: number, rowHeight: number): boolean {
  return total * rowHeight > MAX_CANVAS_PX;
}

export interface ScaledGeometry {
  total: number;
  /** Rows that fit the viewport whole. */
  visible: number;
  /** The canvas's largest scroll position. */
  maxTop: number;
}

export function scaledGeometry(total: number, rowHeight: number, viewport: number): ScaledGeometry {
  const visible = Math.max(1, Math.floor(viewport / rowHeight));
  return { total, visible, maxTop: Math.max(0, Math.min(total * rowHeight, MAX_CANVAS_PX) - viewport) };
}

/** The largest first row: the last rows fill the viewport. */
export function lastFirstRow(g: ScaledGeometry): number {
  return Math.max(0, g.total - g.visible);
}

/** The first row shown at scroll position `top` (the top shows row 0, the bottom the last rows). */
export function rowAtTop(g: ScaledGeometry, top: number): number {
  if (g.maxTop <= 0) return 0;
  const ratio = Math.min(1, Math.max(0, top / g.maxTop));
  return Math.round(ratio * lastFirstRow(g));
}

/** The scroll position that shows `first` as the first row (rowAtTop's inverse, to a pixel). */
export function topOfRow(g: ScaledGeometry, first: number): number {
  const last = lastFirstRow(g);
  if (last === 0) return 0;
  return (Math.min(last, Math.max(0, first)) / last) * g.maxTop;
}
