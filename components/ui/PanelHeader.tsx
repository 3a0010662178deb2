'use client';

/** The title row of a side panel, with its close button. */
export function PanelHeader({
  title,
  closeLabel,
  onClose,
}: {
  title: string;
  closeLabel: string;
  onClose(): void;
}) {
  return (
    <header className="panel-header">
      <h2>{title}</h2>
      <button type="button" className="icon-button" onClick={onClose} aria-label={closeLabel}>
        ×
      </button>
    </header>
  );
}
