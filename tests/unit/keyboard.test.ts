import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideShortcut,
  findNeighbourEvent,
  isTypingTarget,
  type KeyLike,
  matchShortcut,
  SHORTCUTS,
} from '../../components/timeline/keyboard';

/** A duck-typed element: `closest` answers for the selectors it is inside of. */
function element(
  tagName: string,
  options: { type?: string; inside?: string[]; editable?: boolean } = {},
) {
  const inside = options.inside ?? [];
  return {
    tagName,
    type: options.type,
    isContentEditable: options.editable ?? false,
    closest: (selector: string) =>
      selector.split(',').some((part) => inside.some((name) => part.trim().startsWith(name)))
        ? {}
        : null,
  };
}

const BODY = element('BODY');

function press(key: string, extra: Partial<KeyLike> = {}): KeyLike {
  return {
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    defaultPrevented: false,
    target: BODY,
    ...extra,
  };
}

describe('keyboard shortcuts', () => {
  it('match the keys of the table', () => {
    assert.equal(matchShortcut(press('n')), 'new-event');
    assert.equal(matchShortcut(press('N', { shiftKey: true })), 'new-event');
    assert.equal(matchShortcut(press('Delete')), 'delete');
    assert.equal(matchShortcut(press('Backspace')), 'delete');
    assert.equal(matchShortcut(press('ArrowLeft')), 'previous');
    assert.equal(matchShortcut(press('ArrowRight')), 'next');
    assert.equal(matchShortcut(press('Enter')), 'open-panel');
    assert.equal(matchShortcut(press('Escape')), 'close-panel');
    assert.equal(matchShortcut(press('/')), 'focus-search');
    assert.equal(matchShortcut(press('?', { shiftKey: true })), 'help');
    assert.equal(matchShortcut(press('z', { ctrlKey: true })), 'undo');
    assert.equal(matchShortcut(press('z', { metaKey: true })), 'undo');
    assert.equal(matchShortcut(press('Z', { ctrlKey: true, shiftKey: true })), 'redo');
    assert.equal(matchShortcut(press('z', { metaKey: true, shiftKey: true })), 'redo');
    assert.equal(matchShortcut(press('y', { ctrlKey: true })), 'redo');
    // Browser and system shortcuts stay theirs.
    assert.equal(matchShortcut(press('n', { ctrlKey: true })), null);
    assert.equal(matchShortcut(press('ArrowLeft', { altKey: true })), null);
    assert.equal(matchShortcut(press('x')), null);
    for (const action of new Set(SHORTCUTS.map((s) => s.action))) {
      assert.ok(SHORTCUTS.some((s) => s.action === action && s.keys.length > 0));
    }
  });

  it('never fire while typing, except Esc which closes the panel', () => {
    const fields = [
      element('INPUT'),
      element('INPUT', { type: 'date' }),
      element('TEXTAREA'),
      element('SELECT'),
      element('DIV', { editable: true }),
      element('SPAN', { inside: ['[contenteditable]'] }),
    ];
    for (const target of fields) {
      assert.equal(isTypingTarget(target), true, target.tagName);
      for (const key of ['n', 'Delete', 'Backspace', 'ArrowLeft', 'Enter', '/', '?']) {
        assert.equal(decideShortcut(press(key, { target }), { canEdit: true }), null, key);
      }
      assert.equal(decideShortcut(press('z', { ctrlKey: true, target }), { canEdit: true }), null);
      assert.equal(decideShortcut(press('Escape', { target }), { canEdit: true }), 'close-panel');
    }
    assert.equal(isTypingTarget(element('INPUT', { type: 'checkbox' })), false);
    // A field that used Esc itself (a refused title put back) keeps it.
    const used = press('Escape', { target: fields[0], defaultPrevented: true });
    assert.equal(decideShortcut(used, { canEdit: true }), null);
  });

  it('leave modal dialogs and buttons their own keys', () => {
    const inDialog = element('BUTTON', { inside: ['dialog[open]', 'button'] });
    assert.equal(decideShortcut(press('Delete', { target: inDialog }), { canEdit: true }), null);
    assert.equal(decideShortcut(press('Escape', { target: inDialog }), { canEdit: true }), null);
    const button = element('BUTTON', { inside: ['button'] });
    assert.equal(decideShortcut(press('Enter', { target: button }), { canEdit: true }), null);
    assert.equal(
      decideShortcut(press('ArrowRight', { target: button }), { canEdit: true }),
      'next',
    );
  });

  it('give read-only visitors navigation and help only', () => {
    const readOnly = { canEdit: false };
    for (const key of ['n', 'Delete', 'Backspace']) {
      assert.equal(decideShortcut(press(key), readOnly), null, key);
    }
    assert.equal(decideShortcut(press('z', { ctrlKey: true }), readOnly), null);
    assert.equal(decideShortcut(press('y', { ctrlKey: true }), readOnly), null);
    assert.equal(decideShortcut(press('ArrowLeft'), readOnly), 'previous');
    assert.equal(decideShortcut(press('ArrowRight'), readOnly), 'next');
    assert.equal(decideShortcut(press('Enter'), readOnly), 'open-panel');
    assert.equal(decideShortcut(press('Escape'), readOnly), 'close-panel');
    assert.equal(decideShortcut(press('?', { shiftKey: true }), readOnly), 'help');
  });

  it('move through events in time, from the selection or from the centre of the view', () => {
    const events = [
      { id: 'c', start: '2024-03-01T00:00:00.000Z' },
      { id: 'a', start: '2024-01-01T00:00:00.000Z' },
      { id: 'b2', start: '2024-02-01T00:00:00.000Z' },
      { id: 'b1', start: '2024-02-01T00:00:00.000Z' },
    ];
    const centre = new Date('2024-01-20T00:00:00.000Z');
    assert.equal(findNeighbourEvent(events, 'a', 'next', centre), 'b1');
    assert.equal(findNeighbourEvent(events, 'b1', 'next', centre), 'b2');
    assert.equal(findNeighbourEvent(events, 'b2', 'previous', centre), 'b1');
    assert.equal(findNeighbourEvent(events, 'c', 'next', centre), null, 'no wrap at the end');
    assert.equal(findNeighbourEvent(events, 'a', 'previous', centre), null);
    assert.equal(findNeighbourEvent(events, null, 'next', centre), 'b1');
    assert.equal(findNeighbourEvent(events, null, 'previous', centre), 'a');
    assert.equal(findNeighbourEvent(events, 'deleted', 'next', new Date('2025-01-01')), 'c');
    assert.equal(findNeighbourEvent([], null, 'next', centre), null);
  });
});
