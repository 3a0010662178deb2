'use client';

/** The title row of a side panel, with its close button. */
export function PanelHeader({
  title,
  closeLabel,
  onClose,
  children,
}: {
  title: string;
  closeLabel: string;
  onClose(): void;
  /** Shown between the title and the close button (e.g. a count). */
  children?: React.ReactNode;
}) {
  return (
    <header className="panel-header">
      <h2>{title}</h2>
      {children}
      <button type="button" className="icon-button" onClick={onClose} aria-label={closeLabel}>
        ×
      </button>
    </header>
  );
}
