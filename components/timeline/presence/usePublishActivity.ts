'use client';
import { useEffect } from 'react';
import type { Awareness } from 'y-protocols/awareness';

/**
 * Announces this tab's selection and the event whose panel it has open (README "Presence"), so
 * colleagues see the outline on the axis and "… is editing this event" in their panel. Pointer and
 * visible range are sent by the presence layer, outside React.
 */
export function usePublishActivity(
  awareness: Awareness | null,
  selectedId: string | null,
  editingId: string | null,
): void {
  useEffect(() => {
    if (!awareness?.getLocalState()) return;
    awareness.setLocalState({
      ...awareness.getLocalState(),
      selection: selectedId ? [selectedId] : [],
      editing: editingId,
    });
  }, [awareness, selectedId, editingId]);
}
