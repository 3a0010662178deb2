'use client';
/** The "?" dialog: every keyboard shortcut of the timeline page, from the one table (keyboard.ts). */
import { Fragment } from 'react';
import { Dialog } from '../ui/Dialog';
import { SHORTCUTS } from './keyboard';

export function ShortcutsDialog({ canEdit, onClose }: { canEdit: boolean; onClose(): void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog">
      <p>Shortcuts work when you are not typing in a field.</p>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => {
            const unavailable =
              shortcut.later ?? (shortcut.edits && !canEdit ? 'needs edit access' : null);
            return (
              <tr key={shortcut.action} className={unavailable ? 'unavailable' : undefined}>
                <td className="shortcut-keys">
                  {/* "or" outside the keys, so a long list wraps between alternatives. */}
                  {shortcut.keys.map((key, index) => (
                    <Fragment key={key}>
                      {index > 0 && ' or '}
                      <kbd>{key}</kbd>
                    </Fragment>
                  ))}
                </td>
                <td>
                  {shortcut.description}
                  {unavailable && <span className="shortcut-note"> — {unavailable}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
