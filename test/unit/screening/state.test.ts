import { describe, expect, it } from 'vitest';
import { screeningState, stageState } from '#shared/screening/state.ts';
import { decision } from '#test/support/screening.ts';

describe('stageState', () => {
  it('is pending before anyone decides', () => {
    expect(stageState([], 'title-abstract', false).status).toBe('pending');
  });

  it('settles a record outside the dual sample with one decision', () => {
    const state = stageState([decision('r', 'ana', 'exclude')], 'title-abstract', false);
    expect(state).toMatchObject({ status: 'resolved', outcome: 'exclude' });
  });

  it('waits for a second reviewer on a dual-sample record', () => {
    expect(stageState([decision('r', 'ana', 'include')], 'title-abstract', true).status).toBe('needs-second');
  });

  it('settles a dual-sample record when the two reviewers agree', () => {
    const decisions = [decision('r', 'ana', 'include'), decision('r', 'ben', 'include')];
    expect(stageState(decisions, 'title-abstract', true)).toMatchObject({
      status: 'resolved',
      outcome: 'include',
    });
  });

  it('flags a conflict when they disagree, settled by a third reviewer', () => {
    const disagreement = [decision('r', 'ana', 'include'), decision('r', 'ben', 'exclude')];
    expect(stageState(disagreement, 'title-abstract', true).status).toBe('conflict');
    const arbitrated = [...disagreement, decision('r', 'cai', 'exclude')];
    expect(stageState(arbitrated, 'title-abstract', true)).toMatchObject({
      status: 'resolved',
      outcome: 'exclude',
    });
  });

  it("uses a reviewer's latest revision", () => {
    const decisions = [
      decision('r', 'ana', 'include'),
      decision('r', 'ben', 'exclude'),
      decision('r', 'ana', 'exclude', { revision: 2 }),
    ];
    expect(stageState(decisions, 'title-abstract', true)).toMatchObject({
      status: 'resolved',
      outcome: 'exclude',
    });
  });

  it('leaves a full-text "maybe" awaiting a final decision', () => {
    const state = stageState([decision('r', 'ana', 'maybe', { stage: 'full-text' })], 'full-text', false);
    expect(state.status).toBe('undecided');
  });
});

describe('screeningState', () => {
  it('sends a title/abstract "maybe" on to full text', () => {
    expect(screeningState([decision('r', 'ana', 'maybe')], false).status).toBe('full-text');
  });

  it('includes a record included at full text, keeping the exclusion reason otherwise', () => {
    const passed = decision('r', 'ana', 'include');
    expect(
      screeningState([passed, decision('r', 'ana', 'include', { stage: 'full-text' })], false).status,
    ).toBe('included');
    const excluded = screeningState(
      [passed, decision('r', 'ana', 'exclude', { stage: 'full-text', reason: 'design' })],
      false,
    );
    expect(excluded.status).toBe('excluded-full-text');
    expect(excluded.fullText?.reason).toBe('design');
  });
});
