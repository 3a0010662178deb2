import { describeError, toSentence } from '@/lib/errors';
/**
 * The message beside a field that refused what was typed. The field points at it with
 * `aria-describedby` and is marked `aria-invalid`, so a screen reader reads the reason with the
 * field; `role="alert"` announces it when it appears.
 */
export function FieldMessage({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="field-message" role="alert">
      {message}
    </p>
  );
}

/** The attributes that tie a field to its message while it has one. */
export function invalidFieldProps(messageId: string, message: string | null) {
  return message
    ? { 'aria-invalid': true as const, 'aria-describedby': messageId }
    : { 'aria-invalid': false as const };
}

/**
 * A refused write's reason for the message beside the field: the model names the field
 * (`end: must not be before start`), which the position beside it already says, so the name is
 * replaced by the field's label and the reason becomes a sentence.
 */
export function describeFieldError(err: unknown, label: string): string {
  const reason = describeError(err).replace(/^[a-z][\w.]*: /, '');
  const sentence = /^(must|is|needs) /.test(reason) ? `${label} ${reason}` : reason;
  return toSentence(sentence);
}
