'use client';
/**
 * The description of an event, edited together: a CodeMirror 6 editor bound to the event's
 * `Y.Text` (session/descriptionBinding.ts). Each keystroke is a small text edit at a position
 * that follows everyone's changes, so two people typing anywhere in the text both keep their
 * words in order and nobody's caret jumps; the others' carets show in their presence colour with
 * their name.
 */
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, placeholder } from '@codemirror/view';
import { useEffect, useId, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { Description } from '@/lib/timeline/values';
import { bindDescriptionText, withdrawCaret } from '../session/descriptionBinding';
import { useEditingSession } from '../session/EditingSessionProvider';
import { FieldMessage } from './FieldMessage';

const MAX_LENGTH = Description.maxLength ?? 100_000;

interface Props {
  label: string;
  text: Y.Text;
  awareness: Awareness | null;
  timelineId: string;
  readOnly: boolean;
}

function editability(readOnly: boolean): Extension {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];
}

export function DescriptionEditor({ label, text, awareness, timelineId, readOnly }: Props) {
  const labelId = useId();
  const messageId = useId();
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const [editable] = useState(() => new Compartment());
  const [message, setMessage] = useState<string | null>(null);
  // Typing here joins this person's one undo stack (Ctrl/Cmd+Z here undoes it).
  const { undo } = useEditingSession();
  // Read once when the editor is built; later changes are reconfigured below.
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [
          bindDescriptionText(text, awareness, timelineId, undo),
          editable.of(editability(readOnlyRef.current)),
          EditorView.lineWrapping,
          placeholder('What happened, and how do we know?'),
          EditorView.contentAttributes.of({
            'aria-labelledby': labelId,
            'aria-multiline': 'true',
            'data-testid': 'description-editor',
          }),
          // Refuse typing past the limit here: the binding writes whatever the editor holds.
          // Remote changes are not user events and always pass.
          EditorState.transactionFilter.of((tr) => {
            if (tr.docChanged && tr.isUserEvent('input') && tr.newDoc.length > MAX_LENGTH) {
              setMessage(
                `A description holds at most ${MAX_LENGTH.toLocaleString('en')} characters.`,
              );
              return [];
            }
            return tr;
          }),
          EditorView.domEventHandlers({
            // Without the session's undo (not loaded yet), refuse the browser's own undo, which
            // would rewrite the editable text behind CodeMirror's back. With it, the binding's
            // handler (before this one) has already used the event.
            beforeinput(event) {
              if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo')
                return false;
              event.preventDefault();
              return true;
            },
            blur() {
              if (awareness) withdrawCaret(awareness);
              setMessage(null);
              return false;
            },
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      viewRef.current = null;
      view.destroy();
      if (awareness) withdrawCaret(awareness);
    };
  }, [text, awareness, timelineId, labelId, editable, undo]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: editable.reconfigure(editability(readOnly)) });
  }, [readOnly, editable]);

  return (
    <div
      className={`panel-field description-field${message ? ' invalid' : ''}`}
      data-field="description"
    >
      <span id={labelId} className="panel-field-label">
        {label}
      </span>
      <div ref={hostRef} className="description-editor" />
      <FieldMessage id={messageId} message={message} />
    </div>
  );
}

/**
 * A description as it was (a past version): read only. Also the stand-in for an event written
 * without a description text by some other client: its first edit (`onChange`) creates the text,
 * and the panel then binds the collaborative editor to it.
 */
export function DescriptionText({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange?: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="panel-field description-field" data-field="description">
      <label className="panel-field-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className="description-static"
        rows={5}
        readOnly={!onChange}
        value={value}
        onChange={onChange && ((event) => onChange(event.target.value))}
      />
    </div>
  );
}
