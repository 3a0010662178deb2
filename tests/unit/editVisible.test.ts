/**
 * The edit → visible benchmark's bookkeeping (bench/editVisible.ts): the keystrokes leave a
 * unique title per edit, and page B's label changes are paired with page A's edits so that an
 * edit B skipped counts as shown when a later one is, one B never showed counts as lost, and the
 * latency splits at the update's send and arrival.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editKeys, pairEdits } from '../../bench/editVisible';

describe('edit → visible: keystrokes', () => {
  it('leave a different, short title at every edit, each round starting with select all', () => {
    const titles = new Set<string>();
    let typed = '';
    for (let k = 0; k < 620; k++) {
      const { keys, title } = editKeys(k);
      // What the keys do to the field: select all + a character replaces it, else appends.
      typed = keys[0] === 'ControlOrMeta+a' ? keys[1]! : typed + keys[0]!;
      assert.equal(typed, title, `edit ${k}`);
      assert.ok(title.length <= 10);
      titles.add(title);
    }
    assert.equal(titles.size, 620);
    assert.throws(() => editKeys(620), /at most 620/);
  });
});

describe('edit → visible: pairing', () => {
  const edits = ['A', 'A-', 'A-a', 'A-ab'].map((title, k) => ({ title, t: 1000 + k * 100 }));

  it('measures each edit to the first time B shows its title', () => {
    const result = pairEdits({
      edits,
      seen: [
        { title: 'Probe', t: 900 },
        { title: 'A', t: 1012 },
        { title: 'A-', t: 1115 },
        { title: 'A-a', t: 1209 },
        { title: 'A-ab', t: 1340 },
      ],
      sent: [],
      reached: [],
      warmup: 1,
    });
    assert.deepEqual(result.visible, [15, 9, 40]);
    assert.equal(result.superseded, 0);
    assert.equal(result.lost, 0);
  });

  it('counts an edit B skipped as shown with the later title, and one never shown as lost', () => {
    const result = pairEdits({
      edits,
      seen: [
        { title: 'A', t: 1010 },
        // B drew 'A-a' without ever drawing 'A-'; 'A-ab' never came.
        { title: 'A-a', t: 1230 },
        { title: null, t: 1250 },
      ],
      sent: [],
      reached: [],
      warmup: 0,
    });
    assert.deepEqual(result.visible, [10, 130, 30]);
    assert.equal(result.superseded, 1);
    assert.equal(result.lost, 1);
  });

  it('splits the latency at the send on A and the arrival on B', () => {
    const result = pairEdits({
      edits: edits.slice(0, 2),
      seen: [
        { title: 'A', t: 1020 },
        { title: 'A-', t: 1125 },
      ],
      sent: [1003, 1102],
      reached: [1010, 1111],
      warmup: 0,
    });
    assert.deepEqual(result.stages, { a: [3, 2], trip: [7, 9], b: [10, 14] });
    result.visible.forEach((total, i) => {
      assert.equal(total, result.stages.a[i]! + result.stages.trip[i]! + result.stages.b[i]!);
    });
  });
});
