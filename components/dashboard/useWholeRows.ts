'use client';
/**
 * Wall screen: a card is as tall as its share of the screen, and the rows of its lists (the feed,
 * "now and next") that do not fit are hidden whole rather than shown cut in half. Each list marked
 * `data-whole-rows` is measured against the boxes that clip it (every `data-rows-box` around it);
 * a row reaching past one's content gets `data-cut`, which the CSS hides, and the list says how
 * many it hid in `data-cut-count`. A box marked `data-rows-min` (a "now and next" group, which
 * shrinks with its siblings) is kept tall enough for its heading and first row, so no group shows
 * a heading over nothing. Re-measured when anything resizes or a list's rows change.
 */
import { type RefObject, useLayoutEffect } from 'react';

export function useWholeRows(root: RefObject<HTMLElement | null>, enabled: boolean): void {
  useLayoutEffect(() => {
    const element = root.current;
    if (!element) return;
    const lists = () => [...element.querySelectorAll<HTMLElement>('[data-whole-rows]')];
    const reset = () => {
      for (const box of element.querySelectorAll<HTMLElement>('[data-rows-min]')) {
        box.style.minHeight = '';
      }
      for (const list of lists()) {
        delete list.dataset.cutCount;
        for (const row of list.children) (row as HTMLElement).removeAttribute('data-cut');
      }
    };
    if (!enabled) {
      reset();
      return;
    }
    let frame = 0;
    const measure = () => {
      frame = 0;
      for (const list of lists()) {
        const first = list.firstElementChild;
        const own = list.closest<HTMLElement>('[data-rows-min]');
        if (own && first) {
          // Where the first row ends does not depend on the box's height: content runs from the top.
          const needed =
            first.getBoundingClientRect().bottom -
            own.getBoundingClientRect().top +
            Number.parseFloat(getComputedStyle(own).paddingBottom);
          const value = `${Math.ceil(needed)}px`;
          if (own.style.minHeight !== value) own.style.minHeight = value;
        }
      }
      for (const list of lists()) {
        let limit = Number.POSITIVE_INFINITY;
        for (let box = list.closest<HTMLElement>('[data-rows-box]'); box; ) {
          const bottom =
            box.getBoundingClientRect().bottom -
            Number.parseFloat(getComputedStyle(box).paddingBottom);
          limit = Math.min(limit, bottom);
          box = box.parentElement?.closest<HTMLElement>('[data-rows-box]') ?? null;
        }
        let cut = 0;
        for (const child of list.children) {
          const row = child as HTMLElement;
          // A hidden row keeps its box, so measuring it again gives the same answer.
          const over = row.getBoundingClientRect().bottom > limit + 0.5;
          if (over) cut += 1;
          if (over !== row.hasAttribute('data-cut')) row.toggleAttribute('data-cut', over);
        }
        const count = String(cut);
        if (list.dataset.cutCount !== count) list.dataset.cutCount = count;
      }
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    measure();
    const resizes = new ResizeObserver(schedule);
    resizes.observe(element);
    for (const list of lists()) resizes.observe(list);
    // Rows added or removed (only the tree: our own attributes must not re-trigger it).
    const mutations = new MutationObserver(schedule);
    mutations.observe(element, { childList: true, subtree: true, characterData: true });
    return () => {
      resizes.disconnect();
      mutations.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
      reset();
    };
  }, [root, enabled]);
}
