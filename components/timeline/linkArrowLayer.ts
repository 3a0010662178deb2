/**
 * Replacing the arrows timeline-arrows draws. Its `removeArrow` finds the path to take out of the
 * page by its index among every `<path>` of the timeline, which counts the arrow-head markers'
 * paths too, so after the first draw it removes the wrong element. Here the layer's own lists are
 * cleared and its paths removed directly (fields of the pinned 4.8.0; `_dependency` is in its
 * typings), then the new arrows go through `addArrow`. Arrow titles are never passed: the
 * package writes them with innerHTML.
 */
import type Arrow from 'timeline-arrows';
import type { LinkArrow } from './evidenceAxis';

interface ArrowLayerInternals {
  _dependency: unknown[];
  _dependencyPath: SVGPathElement[];
  _svg: SVGSVGElement;
}

/** Makes the layer draw exactly `arrows`. */
export function replaceArrows(layer: Arrow, arrows: readonly LinkArrow[]): void {
  const internals = layer as unknown as ArrowLayerInternals;
  for (const path of internals._dependencyPath) path.remove();
  internals._dependencyPath.length = 0;
  internals._dependency.length = 0;
  for (const arrow of arrows) layer.addArrow({ ...arrow });
  // Tests and people inspecting the page can read which links are drawn.
  internals._svg.dataset.arrows = arrows.map((arrow) => arrow.id).join(' ');
  internals._svg.classList.add('cb-link-arrows');
}
