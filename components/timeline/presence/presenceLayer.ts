'use client';
import type { Timeline } from 'vis-timeline/esnext';
/**
 * Colleagues on the axis, drawn beside vis-timeline without going through React: a pointer moving
 * 20 times a second must not re-render the editor (README "Presence").
 *
 * - Sends: this person's pointer (the time under it on the axis, null when it leaves) and visible
 *   range, throttled together to one awareness update per SEND_INTERVAL_MS.
 * - Draws: each colleague's pointer as a thin line in their colour with their name, eased towards
 *   the last position received on every animation frame; each colleague's selected events
 *   outlined in their colour with their initials (a ring per person, so several people on one
 *   event all show). This tab's own selection keeps vis's normal style.
 * - Follows: while the follow store names a colleague, the axis shows their visible range; moving
 *   the axis or selecting here stops following. Nothing else here ever moves the axis.
 */
import type { Awareness } from 'y-protocols/awareness';
import {
  initialsOf,
  type PresenceRange,
  readPresenceActivity,
  readPresenceUser,
} from '@/lib/presence';
import type { FollowStore } from './followStore';

/** At most 20 presence updates a second leave this tab (pointer and range together). */
export const SEND_INTERVAL_MS = 50;
/** Share of the remaining distance a drawn pointer covers per frame (rAF easing). */
const EASING = 0.35;

interface RemotePointer {
  element: HTMLDivElement;
  label: HTMLSpanElement;
  target: number;
  shown: number;
}

interface Colleague {
  name: string;
  color: string;
}

export interface PresenceLayerOptions {
  timeline: Timeline;
  /** The element vis-timeline was created in. */
  container: HTMLElement;
  awareness: Awareness;
  follow: FollowStore | null;
}

/** Attaches the layer; returns the function that removes it and withdraws this tab's pointer. */
export function attachPresenceLayer({
  timeline,
  container,
  awareness,
  follow,
}: PresenceLayerOptions): () => void {
  const overlay = document.createElement('div');
  overlay.className = 'cb-presence-overlay';
  overlay.dataset.testid = 'presence-overlay';
  overlay.setAttribute('aria-hidden', 'true');
  (container.parentElement ?? container).append(overlay);

  // --- Sending ------------------------------------------------------------------------------
  let pending: { pointer?: string | null; range?: PresenceRange } | null = null;
  let lastSent = 0;
  let sendTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    sendTimer = undefined;
    if (!pending) return;
    const state = awareness.getLocalState();
    if (!state) return; // the session is closing
    lastSent = performance.now();
    awareness.setLocalState({ ...state, ...pending });
    pending = null;
  };
  const send = (patch: { pointer?: string | null; range?: PresenceRange }, now = false) => {
    pending = { ...pending, ...patch };
    const wait = SEND_INTERVAL_MS - (performance.now() - lastSent);
    if (now || wait <= 0) {
      clearTimeout(sendTimer);
      flush();
    } else if (sendTimer === undefined) {
      sendTimer = setTimeout(flush, wait);
    }
  };
  const centrePanel = () => container.querySelector<HTMLElement>('.vis-panel.vis-center');
  const axisBounds = () => {
    const centre = centrePanel()?.getBoundingClientRect();
    const outer = container.getBoundingClientRect();
    return centre ? { left: centre.left, width: centre.width, top: outer.top, outer } : null;
  };
  const handlePointerMove = (event: PointerEvent) => {
    const bounds = axisBounds();
    if (!bounds || bounds.width <= 0) return;
    const fraction = (event.clientX - bounds.left) / bounds.width;
    if (fraction < 0 || fraction > 1) {
      send({ pointer: null });
      return;
    }
    const { start, end } = timeline.getWindow();
    const time = start.getTime() + fraction * (end.getTime() - start.getTime());
    send({ pointer: new Date(time).toISOString() });
  };
  const handlePointerLeave = () => send({ pointer: null }, true);
  container.addEventListener('pointermove', handlePointerMove);
  container.addEventListener('pointerleave', handlePointerLeave);

  const rangeOf = (): PresenceRange => {
    const { start, end } = timeline.getWindow();
    return { start: start.toISOString(), end: end.toISOString() };
  };

  // --- Following ----------------------------------------------------------------------------
  let applyingFollow = false;
  let followedRange = '';
  const applyFollow = () => {
    const target = follow?.get();
    if (!target) {
      followedRange = '';
      return;
    }
    const state = awareness.getStates().get(target.clientId);
    if (!state) {
      follow?.stop(); // they left the room
      return;
    }
    const { range } = readPresenceActivity(state);
    const key = range ? `${range.start}|${range.end}` : '';
    if (!range || key === followedRange) return;
    followedRange = key;
    applyingFollow = true;
    try {
      timeline.setWindow(new Date(range.start), new Date(range.end), { animation: false });
    } finally {
      applyingFollow = false;
    }
  };
  const handleRangeChange = () => {
    // Any move not made by following is this person's own: a drag or the wheel, and also Fit,
    // Go to date or a filter's fit (vis emits this synchronously inside setWindow).
    if (!applyingFollow && follow?.get()) follow.stop();
    send({ range: rangeOf() });
    scheduleFrame();
  };
  const handleRangeChanged = () => send({ range: rangeOf() });
  const handleSelect = () => follow?.stop();
  timeline.on('rangechange', handleRangeChange);
  timeline.on('rangechanged', handleRangeChanged);
  timeline.on('select', handleSelect);
  const unsubscribeFollow = follow?.subscribe(() => {
    followedRange = '';
    applyFollow();
  });
  send({ range: rangeOf() }, true);

  // --- Drawing ------------------------------------------------------------------------------
  const pointers = new Map<number, RemotePointer>();
  let frame = 0;
  const scheduleFrame = () => {
    if (frame === 0) frame = requestAnimationFrame(drawPointers);
  };
  const drawPointers = () => {
    frame = 0;
    const bounds = axisBounds();
    const base = overlay.getBoundingClientRect();
    const { start, end } = timeline.getWindow();
    const span = end.getTime() - start.getTime();
    let moving = false;
    for (const pointer of pointers.values()) {
      const distance = pointer.target - pointer.shown;
      const pxPerMs = bounds && span > 0 ? bounds.width / span : 0;
      if (Math.abs(distance * pxPerMs) < 0.5) pointer.shown = pointer.target;
      else {
        pointer.shown += distance * EASING;
        moving = true;
      }
      if (!bounds || span <= 0) {
        pointer.element.hidden = true;
        continue;
      }
      const x = bounds.left - base.left + (pointer.shown - start.getTime()) * pxPerMs;
      const inside = x >= bounds.left - base.left && x <= bounds.left - base.left + bounds.width;
      pointer.element.hidden = !inside;
      pointer.element.style.transform = `translateX(${x.toFixed(1)}px)`;
    }
    if (moving) scheduleFrame();
  };

  const readColleagues = () => {
    const pointerIds = new Set<number>();
    const selections = new Map<string, Colleague[]>();
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === awareness.clientID) return;
      const user = readPresenceUser(state);
      if (!user) return;
      const activity = readPresenceActivity(state);
      for (const id of activity.selection) {
        const people = selections.get(id) ?? [];
        // The same person in two tabs is one ring.
        if (!people.some((p) => p.name === user.name)) people.push(user);
        selections.set(id, people);
      }
      if (activity.pointer === null) return;
      pointerIds.add(clientId);
      const time = Date.parse(activity.pointer);
      let pointer = pointers.get(clientId);
      if (!pointer) {
        const element = document.createElement('div');
        element.className = 'cb-remote-pointer';
        const label = document.createElement('span');
        label.className = 'cb-remote-pointer-name';
        element.append(label);
        overlay.append(element);
        pointer = { element, label, target: time, shown: time };
        pointers.set(clientId, pointer);
      }
      pointer.target = time;
      pointer.element.dataset.name = user.name;
      pointer.element.style.setProperty('--presence-color', user.color);
      // textContent: a name is user text, never HTML.
      if (pointer.label.textContent !== user.name) pointer.label.textContent = user.name;
    });
    // Rings and initials in name order, so they do not swap places as states change.
    for (const people of selections.values()) people.sort((x, y) => x.name.localeCompare(y.name));
    for (const [clientId, pointer] of pointers) {
      if (pointerIds.has(clientId)) continue;
      pointer.element.remove();
      pointers.delete(clientId);
    }
    return selections;
  };

  let selections = new Map<string, Colleague[]>();
  const drawSelections = () => {
    const wanted = new Set<Element>();
    for (const [eventId, people] of selections) {
      const labels = container.querySelectorAll(
        `.vis-item [data-event-id="${CSS.escape(eventId)}"]`,
      );
      for (const label of labels) {
        const item = label.closest('.vis-item');
        if (!item) continue;
        const key = people.map((p) => `${p.name}${p.color}`).join('|');
        let marker = item.querySelector<HTMLElement>(':scope > .cb-remote-selection');
        if (!marker) {
          marker = document.createElement('span');
          marker.className = 'cb-remote-selection';
          item.append(marker);
        }
        wanted.add(marker);
        if (marker.dataset.key === key) continue;
        marker.dataset.key = key;
        marker.dataset.names = people.map((p) => p.name).join(', ');
        // One ring per person, nested outwards.
        marker.style.boxShadow = people
          .map((p, index) => `0 0 0 ${2 + index * 2}px ${p.color}`)
          .join(', ');
        const badges = people.map((p) => {
          const badge = document.createElement('span');
          badge.className = 'cb-remote-selection-badge';
          badge.style.background = p.color;
          badge.textContent = initialsOf(p.name);
          badge.title = p.name;
          return badge;
        });
        marker.replaceChildren(...badges);
      }
    }
    for (const marker of container.querySelectorAll('.cb-remote-selection')) {
      if (!wanted.has(marker)) marker.remove();
    }
  };

  const handleAwarenessChange = () => {
    selections = readColleagues();
    drawSelections();
    scheduleFrame();
    applyFollow();
  };
  // vis redraws items (pan, zoom, data changes) and may re-create their elements: mark again.
  // A redraw can also resize the axis (the side panel opening or closing): the pointers are
  // placed again on it, else they would stay where the old width put them.
  const handleChanged = () => {
    if (selections.size > 0) drawSelections();
    if (pointers.size > 0) scheduleFrame();
  };
  awareness.on('change', handleAwarenessChange);
  timeline.on('changed', handleChanged);
  handleAwarenessChange();

  return () => {
    awareness.off('change', handleAwarenessChange);
    timeline.off('changed', handleChanged);
    timeline.off('rangechange', handleRangeChange);
    timeline.off('rangechanged', handleRangeChanged);
    timeline.off('select', handleSelect);
    unsubscribeFollow?.();
    container.removeEventListener('pointermove', handlePointerMove);
    container.removeEventListener('pointerleave', handlePointerLeave);
    cancelAnimationFrame(frame);
    clearTimeout(sendTimer);
    pending = null;
    if (awareness.getLocalState()) {
      awareness.setLocalState({ ...awareness.getLocalState(), pointer: null, range: null });
    }
    for (const marker of container.querySelectorAll('.cb-remote-selection')) marker.remove();
    overlay.remove();
  };
}
